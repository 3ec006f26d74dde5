using System.Text.Json;
using Timeline.Projections.Events;

namespace Timeline.Recording;

/// <summary>
/// Reads a body's <c>missing</c>: one <c>{ "field", "reason" }</c> or a list of them. A field must be one of the
/// body's optional fields, left empty, and named once; the reason one of <see cref="MissingReasons.All"/>.
/// A refusal names the entry (<c>missing.field</c> for a single object, <c>missing[1].field</c> in a list).
/// </summary>
public static class MissingFields
{
    public static IReadOnlyList<MissingValue>? Read(JsonElement? missing, IReadOnlyList<(string Field, bool Given)> optional, string kind, FieldErrors errors)
    {
        if (missing is not { } json || json.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined) return null;
        var entries = json.ValueKind switch
        {
            JsonValueKind.Object => [("missing", json)],
            JsonValueKind.Array => json.EnumerateArray().Select((e, i) => ($"missing[{i}]", e)).ToList(),
            _ => null,
        };
        if (entries is null)
        {
            errors.Add("missing", "missing must be an object { \"field\", \"reason\" } or a list of them.");
            return null;
        }
        if (entries.Count == 0) return null;

        var values = new List<MissingValue>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, entry) in entries)
        {
            if (entry.ValueKind != JsonValueKind.Object)
            {
                errors.Add(name, $"{errors.Name(name)} must be an object {{ \"field\", \"reason\" }}.");
                continue;
            }
            foreach (var member in entry.EnumerateObject())
                if (member.Name is not ("field" or "reason"))
                    errors.Add($"{name}.{member.Name}", $"{errors.Name($"{name}.{member.Name}")} is not a member of a missing value: give field and reason only.");
            var field = Text(entry, "field");
            var reason = Text(entry, "reason");
            var fieldOk = false;
            if (field is null)
                errors.Add($"{name}.field", $"{errors.Name($"{name}.field")} is required: the optional field left empty.");
            else if (optional.FirstOrDefault(o => o.Field == field) is not { Field: not null } known)
                errors.Add($"{name}.field", optional.Count == 0
                    ? $"'{Shown(field)}' is not an optional field: a {kind} has no optional fields, so nothing may be missing."
                    : $"'{Shown(field)}' is not an optional field of a {kind}: only {string.Join(", ", optional.Select(o => o.Field))} may be missing.");
            else if (known.Given)
                errors.Add($"{name}.field", $"{field} has a value: a missing reason is only for an optional field left empty.");
            else if (!seen.Add(field))
                errors.Add($"{name}.field", $"{field} is named missing more than once.");
            else fieldOk = true;
            if (reason is null)
                errors.Add($"{name}.reason", $"{errors.Name($"{name}.reason")} is required: one of {string.Join(", ", MissingReasons.All)}.");
            else if (!MissingReasons.All.Contains(reason))
                errors.Add($"{name}.reason", $"reason '{Shown(reason)}' is unknown: expected one of {string.Join(", ", MissingReasons.All)}.");
            else if (fieldOk) values.Add(new MissingValue(field!, reason));
        }
        return values;
    }

    static string? Text(JsonElement entry, string member) =>
        entry.TryGetProperty(member, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    /// <summary>An echoed value, cut short and without what the text policy forbids (it is the client's, not ours).</summary>
    static string Shown(string value)
    {
        var cut = value.Length > 60 ? value[..60] + "…" : value;
        return FieldErrors.IsPrintable(cut) ? cut : "(unprintable)";
    }
}
