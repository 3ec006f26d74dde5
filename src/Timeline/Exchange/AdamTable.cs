namespace Timeline.Exchange;

/// <summary>How a column's values are held: text, a whole number, or a calendar date.</summary>
public enum AdamType { Text, Whole, Date }

/// <summary>One variable of an ADaM data set: an 8-character name, a label of at most 40 characters, its type.</summary>
public sealed record AdamColumn(string Name, string Label, AdamType Type)
{
    /// <summary>The SAS display format of a date (days since 1960-01-01 in XPT).</summary>
    public const string DateFormat = "DATE9.";
}

/// <summary>
/// A data set as every format writes it: columns and rows of values (string, int, DateOnly or null for missing),
/// in a fixed order. Text lengths are the longest value's UTF-8 bytes (at least 1, at most 200, XPT's limit).
/// </summary>
public sealed record AdamTable(string Name, string Label, IReadOnlyList<AdamColumn> Columns, IReadOnlyList<object?[]> Rows)
{
    public const int MaxTextBytes = 200;

    public int LengthOf(int column) => Columns[column].Type switch
    {
        AdamType.Text => Math.Clamp(Rows.Select(r => r[column] is string s ? System.Text.Encoding.UTF8.GetByteCount(s) : 0).DefaultIfEmpty(0).Max(), 1, MaxTextBytes),
        _ => 8,
    };
}
