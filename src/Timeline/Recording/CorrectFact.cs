using System.Text.Json;
using Microsoft.Extensions.Options;
using Timeline.Projections.Events;
using Timeline.Projections.Patients;
using Wolverine.Http;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Timeline.Recording;

/// <summary>
/// Replaces or retracts an earlier fact of the same stream, with a reason. The original is never edited:
/// it stays in the history, marked corrected or retracted (21 CFR 11.10(e)).
/// </summary>
/// <param name="Replacement">The original route's body, corrected (for a line end, with its line).</param>
public sealed record CorrectFact(Guid? EventId, string? Reason, JsonElement? Replacement, bool? Retract);

public static class CorrectFactEndpoint
{
    [WolverinePost("/api/patients/{patientId}/corrections", OperationId = "CorrectFact")]
    public static Task<IResult> Post(string patientId, CorrectFact? request, PatientStreams streams, IOptions<JsonOptions> json, HttpContext http)
    {
        if (request is null) return Task.FromResult(Problems.Invalid("body", "A JSON body is required."));
        var errors = new FieldErrors();
        var eventId = errors.Required(request.EventId, "eventId");
        var reason = errors.Text(request.Reason, "reason", FieldErrors.MaxReason);
        var hasReplacement = request.Replacement is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined };
        var retract = request.Retract == true;
        if (hasReplacement == retract)
            errors.Add("replacement", "Give either a replacement or \"retract\": true, not both and not neither.");
        if (hasReplacement && request.Replacement!.Value.ValueKind != JsonValueKind.Object)
            errors.Add("replacement", "replacement must be an object: the original route's body, corrected.");
        if (errors.Any) return Task.FromResult(errors.ToProblem());

        return streams.Append(patientId, http, chart =>
            Decide(chart, eventId, reason, retract ? null : request.Replacement, json.Value.SerializerOptions, streams.Today));
    }

    public static Decision Decide(PatientChart chart, Guid eventId, string reason, JsonElement? replacement, JsonSerializerOptions json, DateOnly today)
    {
        var index = chart.IndexOf(eventId);
        if (index < 0)
        {
            var why = chart.Retracted.Contains(eventId) ? $"Fact {eventId} is already retracted."
                : chart.CorrectionEvents.Contains(eventId) ? $"Event {eventId} is itself a correction: correct the original fact instead."
                : $"No fact with id {eventId} in patient {chart.Id}'s stream.";
            return Decision.Refuse(Problems.Invalid("eventId", why));
        }
        var original = chart.Facts[index].Fact;

        if (replacement is null)
        {
            if (original is PatientEnrolled)
                return Decision.Refuse(Problems.Invalid("eventId", "An enrolment cannot be retracted: correct it with a replacement."));
            return ClinicalRules.CheckRetraction(chart, index, today) is { } broken
                ? broken
                : Decision.Append(new FactRetracted(eventId, reason));
        }

        var errors = new FieldErrors("replacement.");
        var fact = ParseReplacement(original, replacement.Value, json, errors, chart.Id);
        if (fact is null || errors.Any) return Decision.Refuse(errors.ToProblem());
        if (ClinicalRules.CheckReplacement(chart, index, fact, today) is { } violation)
            return violation with { Field = "replacement." + violation.Field };
        // A replacement is judged as a new fact would be: soft checks too, overridden by the replacement's own "override".
        if (SoftChecks.Refusal(SoftChecks.Others(chart, index), fact, "replacement.") is { } soft) return Decision.Refuse(soft);
        return Decision.Append(new FactCorrected(eventId, reason, fact));
    }

    /// <summary>Reads the replacement as the body of the route that recorded the original.</summary>
    static ClinicalFact? ParseReplacement(ClinicalFact original, JsonElement body, JsonSerializerOptions json, FieldErrors errors, string patientId)
    {
        IFactRequest? request;
        try
        {
            request = (IFactRequest?)body.Deserialize(FactTypes.RequestTypeFor(original), json);
        }
        catch (JsonException e)
        {
            errors.Add(JsonErrors.FieldOf(e) ?? "", JsonErrors.Describe(e));
            return null;
        }
        if (request is EnrolPatient { PatientId: { } id } && id != patientId)
            errors.Add("patientId", "A correction cannot move a fact to another patient.");
        return request!.ToFact(errors);
    }
}
