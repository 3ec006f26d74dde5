using Marten;
using Timeline.Projections.Events;
using Timeline.Projections.Patients;
using Timeline.Projections.Review;
using Timeline.Recording;
using Wolverine.Http;

namespace Timeline.Review;

/// <param name="EventId">The fact queried (any event id of the patient's stream); absent for the patient as a whole.</param>
/// <param name="Text">The question to the site.</param>
public sealed record RaiseQuery(Guid? EventId, string? Text);

/// <summary>The answer of every query route: the query, where it stands, and its stream's version.</summary>
public sealed record QueryAnswer(string QueryId, string PatientId, Guid? EventId, QueryStatus Status, Guid LastEventId, long Version);

/// <summary>
/// An auditor (a monitor) raises a data query on a fact or on a patient. Each query is a stream of its own,
/// "Q-&lt;guid&gt;", not events in the patient's stream: the dialogue is about the record, not part of it, so it
/// never moves the patient's version (no recorder's If-Match fails, no signature is superseded by a question)
/// and it goes on while the record is locked; its own stream still replays the whole dialogue.
/// </summary>
public static class RaiseQueryEndpoint
{
    public const int MaxText = FieldErrors.MaxReason;

    [WolverinePost("/api/patients/{patientId}/queries", OperationId = "RaiseQuery")]
    public static async Task<IResult> Post(string patientId, RaiseQuery? request, IDocumentStore store, TimeProvider clock, HttpContext http)
    {
        if (request is null) return Problems.Invalid("body", "A JSON body is required.");
        var errors = new FieldErrors();
        var text = errors.Text(request.Text, "text", MaxText);
        if (errors.Any) return errors.ToProblem();
        if (!FieldErrors.PatientIdPattern().IsMatch(patientId)) return Problems.UnknownPatient(patientId);

        await using var session = store.LightweightSession();
        var by = ReviewAppends.SignedIn(http);
        session.LastModifiedBy = by;
        var chart = await session.LoadAsync<PatientChart>(patientId, http.RequestAborted);
        if (chart is null) return Problems.UnknownPatient(patientId);
        if (request.EventId is { } eventId && !InStream(chart, eventId))
            return Problems.Invalid("eventId", $"No event with id {eventId} in patient {patientId}'s stream.");

        var queryId = $"Q-{Guid.CreateVersion7()}";
        var action = session.Events.StartStream<DataQuery>(queryId, new QueryRaised(patientId, request.EventId, text, by, clock.GetUtcNow()));
        await session.SaveChangesAsync(http.RequestAborted);
        http.Response.Headers.ETag = "\"1\"";
        return Results.Created($"/api/queries/{queryId}",
            new QueryAnswer(queryId, patientId, request.EventId, QueryStatus.Open, action.Events[0].Id, 1));
    }

    /// <summary>A fact, active or not (a retracted one can be queried too), or a correction of one.</summary>
    static bool InStream(PatientChart chart, Guid eventId) =>
        chart.IndexOf(eventId) >= 0 || chart.Retracted.Contains(eventId) || chart.CorrectionEvents.Contains(eventId);
}
