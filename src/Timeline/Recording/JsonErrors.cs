using System.Text.Json;

namespace Timeline.Recording;

/// <summary>Turns a JSON reader's complaint into the field it concerns and a sentence a client can act on.</summary>
public static class JsonErrors
{
    /// <summary>"$.agents[0]" → "agents[0]"; null for the body as a whole.</summary>
    public static string? FieldOf(JsonException e)
    {
        var path = e.Path;
        if (string.IsNullOrEmpty(path) || path == "$") return null;
        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }

    public static string Describe(JsonException e)
    {
        var field = FieldOf(e);
        if (field is null) return "The body is not valid JSON.";
        // System.Text.Json says "Duplicate property" when AllowDuplicateProperties is off.
        if (e.Message.Contains("uplicate", StringComparison.Ordinal)) return $"{field} is given more than once.";
        var name = field.ToLowerInvariant();
        var expected = name.EndsWith("date", StringComparison.Ordinal) ? " (expected a date as YYYY-MM-DD)"
            : name is "sex" ? " (expected female, male, other or unknown)"
            : name is "category" ? " (expected CR, PR, SD, PD or NE)"
            : name is "reason" ? " (expected completed, progression, toxicity, death or other)"
            : name is "cause" ? " (expected disease, treatment, other or unknown)"
            : "";
        return $"{field} has a value of the wrong kind{expected}.";
    }
}
