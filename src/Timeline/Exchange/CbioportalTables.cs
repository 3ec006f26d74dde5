using System.Text;

namespace Timeline.Exchange;

/// <summary>
/// cBioPortal's file shapes (docs.cbioportal.org, "File Formats"): meta files of <c>key: value</c> lines, and
/// tab-separated data files; a clinical data file starts with four rows beginning with <c>#</c> (display names,
/// descriptions, datatypes STRING/NUMBER/BOOLEAN, priorities) above its header row. UTF-8, LF line ends.
/// </summary>
public static class CbioportalTables
{
    public const string StudyId = "sarc_mtki_timeline";

    /// <summary>A clinical attribute: its column name, display name, description, datatype and priority.</summary>
    public sealed record ClinicalColumn(string Column, string DisplayName, string Description, string Datatype, int Priority = 1);

    public static async Task WriteMetaAsync(Stream output, IEnumerable<(string Key, string Value)> pairs, CancellationToken ct)
    {
        var text = string.Concat(pairs.Select(p => $"{p.Key}: {Clean(p.Value)}\n"));
        await output.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
    }

    public static (string, string)[] ClinicalMeta(string datatype, string fileName) =>
    [
        ("cancer_study_identifier", StudyId),
        ("genetic_alteration_type", "CLINICAL"),
        ("datatype", datatype),
        ("data_filename", fileName),
    ];

    public static async Task WriteClinicalAsync(Stream output, IReadOnlyList<ClinicalColumn> attributes, IEnumerable<string?[]> rows, CancellationToken ct)
    {
        await using var writer = Writer(output);
        await writer.WriteAsync(("#" + string.Join('\t', attributes.Select(a => Clean(a.DisplayName))) + "\n").AsMemory(), ct);
        await writer.WriteAsync(("#" + string.Join('\t', attributes.Select(a => Clean(a.Description))) + "\n").AsMemory(), ct);
        await writer.WriteAsync(("#" + string.Join('\t', attributes.Select(a => a.Datatype)) + "\n").AsMemory(), ct);
        await writer.WriteAsync(("#" + string.Join('\t', attributes.Select(a => a.Priority.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "\n").AsMemory(), ct);
        await WriteRowsAsync(writer, attributes.Select(a => a.Column).ToArray(), rows, ct);
    }

    public static async Task WriteTableAsync(Stream output, string[] header, IAsyncEnumerable<string?[]> rows, CancellationToken ct)
    {
        await using var writer = Writer(output);
        await writer.WriteAsync((string.Join('\t', header) + "\n").AsMemory(), ct);
        await foreach (var row in rows.WithCancellation(ct))
            await writer.WriteAsync(TableLine(row).AsMemory(), ct);
        await writer.FlushAsync(ct);
    }

    /// <summary>One row of a timeline table as written: tab-separated, an absent value empty, LF-ended.</summary>
    public static string TableLine(IEnumerable<string?> row) => string.Join('\t', row.Select(v => Clean(v ?? ""))) + "\n";

    /// <summary>A writer of the files' encoding (UTF-8 without a byte order mark, LF), leaving the stream open.</summary>
    public static StreamWriter Writer(Stream output) => new(output, new UTF8Encoding(false), 64 * 1024, leaveOpen: true) { NewLine = "\n" };

    static async Task WriteRowsAsync(StreamWriter writer, string[] header, IEnumerable<string?[]> rows, CancellationToken ct)
    {
        await writer.WriteAsync((string.Join('\t', header) + "\n").AsMemory(), ct);
        foreach (var row in rows)
            await writer.WriteAsync((string.Join('\t', row.Select(v => Clean(v ?? Missing))) + "\n").AsMemory(), ct);
        await writer.FlushAsync(ct);
    }

    /// <summary>cBioPortal's missing value in clinical files.</summary>
    public const string Missing = "NA";


    /// <summary>No tab or line break may appear inside a value.</summary>
    static string Clean(string value) => value.Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' ');
}
