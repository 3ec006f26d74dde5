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

    public T Required<T>(T? value, string field) where T : struct
    {
        if (value is null) Add(field, $"{Name(field)} is required.");
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
        return value.Trim();
    }

    public int Line(int? value, string field = "line")
    {
        var line = Required(value, field);
        if (value is < 1 or > 99) Add(field, $"{Name(field)} must be between 1 and 99.");
        return line;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")]
    public static partial Regex PatientIdPattern();

    public IResult ToProblem() => Problems.Invalid(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));

    public Dictionary<string, string[]> ToDictionary() => errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
}
