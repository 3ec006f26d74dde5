using Timeline.Analyses;

namespace Timeline.Exchange;

/// <summary>
/// What every export accepts: the histology (name or ICD-O-3 code) and asOf (the data as known then), parsed
/// exactly as the analyses parse them, so an export and a figure with the same parameters read the same rows.
/// </summary>
public sealed record ExportQuery(string? Histology, string? HistologyCode, string? AsOfText, DateTimeOffset? AsOf)
{
    public static ExportQuery? Parse(string? histology, string? asOf, out IResult? problem)
    {
        var query = AnalysisQuery.Parse(histology, null, asOf, out problem);
        return query is null ? null : new ExportQuery(string.IsNullOrWhiteSpace(histology) ? null : histology.Trim(),
            query.HistologyCode, string.IsNullOrWhiteSpace(asOf) ? null : asOf.Trim(), query.AsOf);
    }
}
