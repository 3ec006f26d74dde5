using System.Text.Json;
using System.Text.RegularExpressions;
using Timeline.Hosting;
using Timeline.Projections.Events;
using Timeline.Recording;

namespace Timeline.Import;

/// <summary>
/// One NDJSON line of an import, read: the patient it names, and either its fact or why it cannot be read.
/// The fact has passed the route's own field checks (the request record's ToFact), not yet the clinical rules.
/// </summary>
public sealed record ImportLine(long Number, string? PatientId, string? Type, ClinicalFact? Fact, string? Error)
{
    public bool IsEnrolment => Type == FactTypes.Enrolment;
}

/// <summary>
/// Reads one line: <c>{"patientId": "...", "type": "&lt;route&gt;", "body": { the route's body }}</c>, or the same
/// with the body's fields beside patientId and type instead of nested ("flattened"). Any other member of the
/// line (such as <c>"synthetic": true</c>) is ignored.
/// </summary>
public static partial class ImportLineReader
{
    /// <summary>The JSON options of the HTTP routes, so a body reads the same here as there.</summary>
    public static JsonSerializerOptions Json { get; } = CreateJson();

    static JsonSerializerOptions CreateJson()
    {
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        TimelineServices.ConfigureJson(json);
        json.MakeReadOnly(populateMissingResolver: true);
        return json;
    }

    /// <summary>A key given twice in a line is refused, as in a route's body (<see cref="TimelineServices.ConfigureJson"/>).</summary>
    static readonly JsonDocumentOptions LineOptions = new() { AllowDuplicateProperties = false };

    /// <param name="utf8">The line without its end; only read during the call.</param>
    public static ImportLine Read(long number, ReadOnlyMemory<byte> utf8)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, LineOptions);
        }
        catch (JsonException)
        {
            return new ImportLine(number, SalvagePatientId(utf8.Span), null, null, "the line is not valid JSON.");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return new ImportLine(number, null, null, null, "the line is not a JSON object.");
            var patientId = root.TryGetProperty("patientId", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
            if (string.IsNullOrEmpty(patientId))
                return new ImportLine(number, null, null, null, "patientId is required.");
            if (!FieldErrors.PatientIdPattern().IsMatch(patientId))
                return new ImportLine(number, patientId, null, null,
                    "patientId must be 1–64 letters, digits, '-' or '_', starting with a letter or digit.");
            var type = root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            if (type is null || !FactTypes.RequestTypes.TryGetValue(type, out var requestType))
                return new ImportLine(number, patientId, type, null,
                    $"type {(type is null ? "is missing" : $"'{type}' is unknown")}: expected one of {string.Join(", ", FactTypes.RequestTypes.Keys)}.");

            var body = root;
            if (root.TryGetProperty("body", out var nested))
            {
                if (nested.ValueKind != JsonValueKind.Object)
                    return new ImportLine(number, patientId, type, null, "body must be a JSON object.");
                body = nested;
            }

            IFactRequest? request;
            try
            {
                request = (IFactRequest?)body.Deserialize(requestType, Json);
            }
            catch (JsonException e)
            {
                return new ImportLine(number, patientId, type, null, JsonErrors.Describe(e).Replace("The body", "The fact", StringComparison.Ordinal));
            }
            if (request is null) return new ImportLine(number, patientId, type, null, "body is required.");

            if (request is EnrolPatient { PatientId: { Length: > 0 } inBody } && inBody != patientId)
                return new ImportLine(number, patientId, type, null, $"body.patientId '{inBody}' differs from the line's patientId '{patientId}'.");

            var errors = new FieldErrors();
            var fact = request.ToFact(errors);
            if (errors.Any)
                return new ImportLine(number, patientId, type, null, string.Join(" ", errors.ToDictionary().SelectMany(e => e.Value)));
            return new ImportLine(number, patientId, type, fact, null);
        }
    }

    /// <summary>A line that is not JSON may still name its patient; then the refusal is that patient's.</summary>
    static string? SalvagePatientId(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > 64 * 1024) utf8 = utf8[..(64 * 1024)];
        var match = PatientIdMember().Match(System.Text.Encoding.UTF8.GetString(utf8));
        return match.Success ? match.Groups[1].Value : null;
    }

    [GeneratedRegex("\"patientId\"\\s*:\\s*\"([A-Za-z0-9][A-Za-z0-9_-]{0,63})\"")]
    private static partial Regex PatientIdMember();
}
