using Timeline.Access;
using Timeline.Analyses;
using Timeline.Projections.Analysis;
using Timeline.Projections.Catalogue;
using Timeline.Projections.Patients;

namespace Timeline.Explain;

/// <summary>The events a listed value came from; absent when the value has none (no anchor, no assessment).</summary>
public sealed record SourceEvents(Guid? Anchor, Guid? End, Guid? MtkiStart, Guid? BestResponse);

/// <summary>
/// One patient behind a number of a figure: the values the figure used, the events they came from, a link to the
/// timeline with those events highlighted, and (for roles that may read it) to the history.
/// </summary>
public sealed record FigurePatient(
    string PatientId, string? Histology, string? HistologyName, string? Group, string? ExclusionReason,
    double? Time, bool? Event, DateOnly? Anchor, DateOnly? FirstMtkiStart, string? FirstMtkiDrug, int? AgeAtMtkiStart,
    string? BestOverallResponse, SourceEvents Sources, string TimelineUrl, string? HistoryUrl);

/// <summary>The patients behind one part of a figure, computed from exactly the same rows as the figure.</summary>
/// <remarks>
/// <c>Count</c>, <c>Events</c> and <c>Censored</c> are the whole part's; with <c>limit</c> the patients come a page at a
/// time in patient id order and <c>Next</c> is the address of the next page (null on the last).
/// </remarks>
public sealed record FigurePatientsAnswer(string Figure, IReadOnlyDictionary<string, string> Part, int Count, int Events, int Censored,
    IReadOnlyList<FigurePatient> Patients, string? Next, string Unit, Basis Basis);

/// <summary>Shapes the listed patients alike for every figure.</summary>
public static class FigurePatients
{
    /// <summary>
    /// Patients of a time-to-event figure: with <paramref name="time"/>, those whose time equals it (the events and
    /// censorings of that curve step); with <paramref name="atRisk"/>, those still at risk then (time ≥ it, the
    /// number at risk); neither, all of them.
    /// </summary>
    public static IEnumerable<(PatientOutcome Outcome, SurvivalInterval Interval)> AtTime(
        IEnumerable<(PatientOutcome, SurvivalInterval)> subjects, TimeUnit unit, double? time, double? atRisk) =>
        subjects.Where(s =>
        {
            var t = TimeUnits.FromDays(s.Item2.Days, unit);
            return (time is not { } at || Same(t, at)) && (atRisk is not { } from || t >= from || Same(t, from));
        });

    /// <summary>Curve times travel as JSON doubles; a relative tolerance absorbs a client's last-digit rounding.</summary>
    static bool Same(double a, double b) => Math.Abs(a - b) <= 1e-9 * Math.Max(1, Math.Abs(b));

    public static FigurePatient Item(PatientOutcome o, SurvivalInterval? interval, TimeUnit unit, Guid? end, HttpContext http)
    {
        var sources = new SourceEvents(o.Sources?.Anchor, end, o.Sources?.MtkiStart, o.Sources?.BestResponse);
        var highlight = string.Join(",", new[] { sources.Anchor, sources.End, sources.MtkiStart, sources.BestResponse }
            .OfType<Guid>().Distinct().Select(g => g.ToString()));
        var id = Uri.EscapeDataString(o.PatientId);
        return new FigurePatient(o.PatientId, o.Histology, Histologies.NameOf(o.Histology), o.Group, o.ExclusionReason,
            interval is null ? null : TimeUnits.FromDays(interval.Days, unit), interval?.Event,
            o.Anchor?.Date, o.FirstMtkiStart, o.FirstMtkiDrug, o.AgeAtMtkiStart, o.BestOverallResponse?.ToString(), sources,
            $"/patient.html?id={id}" + (highlight.Length > 0 ? $"&highlight={highlight}" : ""),
            MayReadHistory(http) ? $"/api/patients/{id}/history" : null);
    }

    public const int MaxLimit = 10_000;

    /// <summary>The page's <c>limit</c> and <c>after</c>, checked; a problem naming the bad one.</summary>
    public static IResult? CheckPage(int? limit, string? after) =>
        limit is < 1 or > MaxLimit ? Recording.Problems.Invalid("limit", $"limit must be between 1 and {MaxLimit}.")
        : after is { Length: > 64 } ? Recording.Problems.Invalid("after", "after is the last patient id of the previous page.")
        : null;

    /// <param name="limit">The page size (checked by <see cref="CheckPage"/>); null for every patient of the part.</param>
    /// <param name="after">The last patient id of the previous page; null or empty for the first.</param>
    /// <param name="http">The request, whose other parameters the next page's address keeps.</param>
    public static FigurePatientsAnswer Answer(string figure, Dictionary<string, string> part, IReadOnlyList<FigurePatient> patients,
        AnalysisQuery query, Basis basis, int? limit, string? after, HttpContext http)
    {
        IReadOnlyList<FigurePatient> page = patients;
        string? next = null;
        if (limit is { } size)
        {
            // Outcomes arrive in patient id order (ordinal), so the page is a slice after the given id.
            var rest = patients.Where(p => string.IsNullOrEmpty(after) || string.CompareOrdinal(p.PatientId, after) > 0).ToList();
            page = rest.Take(size).ToList();
            if (rest.Count > size)
            {
                var parameters = http.Request.Query.Where(q => q.Key != "after")
                    .Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value.ToString())}")
                    .Append($"after={Uri.EscapeDataString(page[^1].PatientId)}");
                next = $"{http.Request.Path}?{string.Join("&", parameters)}";
            }
        }
        return new(figure, part, patients.Count, patients.Count(p => p.Event == true), patients.Count(p => p.Event == false),
            page, next, AnalysisEndpoints.Name(query), basis);
    }

    /// <summary>Event ids link to the history only for roles the access table lets read it (auditors, admin).</summary>
    static bool MayReadHistory(HttpContext http) =>
        AccessPolicy.Find("GET", "/api/patients/{patientId}/history")?.Allows(UserDirectory.RolesOf(http.User).ToList()) == true;
}
