using System.Globalization;
using System.Text;

namespace Timeline.Exchange;

/// <summary>
/// An ADaM data set as CSV (RFC 4180): a header of the variable names, one line per row, dates as ISO 8601, an empty
/// field for a missing value; UTF-8 without a byte order mark, lines ended by LF.
/// </summary>
public static class AdamCsv
{
    public static async Task WriteAsync(AdamTable table, Stream output, CancellationToken ct)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), 64 * 1024, leaveOpen: true) { NewLine = "\n" };
        await writer.WriteLineAsync(string.Join(',', table.Columns.Select(c => c.Name)).AsMemory(), ct);
        foreach (var row in table.Rows)
            await writer.WriteLineAsync(string.Join(',', row.Select(Field)).AsMemory(), ct);
        await writer.FlushAsync(ct);
    }

    static string Field(object? value) => value switch
    {
        null => "",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        string s when s.AsSpan().IndexOfAny(",\"\r\n") >= 0 => "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"",
        string s => s,
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
