using System.Globalization;
using System.Text.RegularExpressions;

namespace Timeline.Recording;

/// <summary>Collects what is wrong with a request body, field by field, before any rule is looked at.</summary>
public sealed partial class FieldErrors(string prefix = "")
{
    public const int MaxText = 200;
    public const int MaxReason = 2000;
    public const int MaxAgents = 20;

    readonly Dictionary<string, List<string>> errors = [];

    public bool Any => errors.Count > 0;

    public string Name(string field) => prefix + field;

    public void Add(string field, string message)
    {
        var name = Name(field);
        if (!errors.TryGetValue(name, out var list)) errors[name] = list = [];
        list.Add(message);
    }

    /// <summary>The earliest clinical date or birth date accepted: anything before is a typing error.</summary>
    public static readonly DateOnly EarliestDate = new(1900, 1, 1);

    public T Required<T>(T? value, string field) where T : struct
    {
        if (value is null) Add(field, $"{Name(field)} is required.");
        return value ?? default;
    }

    /// <summary>A required date, on or after <see cref="EarliestDate"/> (the future is a clinical rule, checked later).</summary>
    public DateOnly Required(DateOnly? value, string field)
    {
        if (value is null) Add(field, $"{Name(field)} is required.");
        else if (value < EarliestDate) Add(field, $"{Name(field)} {value:yyyy-MM-dd} is before {EarliestDate:yyyy-MM-dd}.");
        return value ?? default;
    }

    public string Text(string? value, string field, int max = MaxText, bool required = true)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required) Add(field, $"{Name(field)} is required.");
            return "";
        }
        if (value.Length > max) Add(field, $"{Name(field)} is longer than {max} characters.");
        else if (!IsPrintable(value)) Add(field, $"{Name(field)} contains control, invisible or direction-changing characters, or broken Unicode.");
        return value.Trim();
    }

    public int Line(int? value, string field = "line")
    {
        var line = Required(value, field);
        if (value is < 1 or > 99) Add(field, $"{Name(field)} must be between 1 and 99.");
        return line;
    }

    /// <summary>
    /// The one text policy, for every free text of every route and of the import: no control characters but tab
    /// and line breaks, no lone surrogate halves (PostgreSQL stores neither NUL nor those), and no format
    /// characters (Unicode category Cf: U+202E turns text right to left, U+200B and U+FEFF are invisible) nor
    /// line and paragraph separators (Zl, Zp): a reviewer reading the history must see what was recorded.
    /// </summary>
    public static bool IsPrintable(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsControl(c) && c is not ('\t' or '\n' or '\r')) return false;
            if (char.IsLowSurrogate(c)) return false;
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1])) return false;
                if (IsHidden(CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(c, value[++i])))) return false;
            }
            else if (IsHidden(CharUnicodeInfo.GetUnicodeCategory(c))) return false;
        }
        return true;
    }

    static bool IsHidden(UnicodeCategory category) =>
        category is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;

    /// <summary>
    /// The one rule for a patient id, whole string only: \A and \z, because $ also matches before a final
    /// newline ("INJ-1\n" would pass), and ASCII classes, because \d and \w match digits and letters of every script.
    /// </summary>
    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9_-]{0,63}\z")]
    public static partial Regex PatientIdPattern();

    public IResult ToProblem() => Problems.Invalid(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));

    public Dictionary<string, string[]> ToDictionary() => errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
}
