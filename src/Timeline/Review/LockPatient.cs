using Marten;
using Timeline.Projections.Events;
using Timeline.Projections.Patients;
using Timeline.Recording;
using Wolverine.Http;

namespace Timeline.Review;

/// <param name="Reason">Why the record is locked or unlocked (a database lock for an analysis, a query to resolve…).</param>
public sealed record LockPatient(string? Reason);

/// <summary>
/// An administrator locks a patient's record: every recording route and every correction is then refused (409)
/// until it is unlocked. Both are events of the patient's stream, so the history and asOf replays show them.
/// </summary>
public static class LockPatientEndpoint
{
    [WolverinePost("/api/patients/{patientId}/lock", OperationId = "LockPatient")]
    public static Task<IResult> Lock(string patientId, LockPatient? request, IDocumentStore store, TimeProvider clock, HttpContext http) =>
        Change(patientId, request, store, clock, http, locking: true);

    [WolverinePost("/api/patients/{patientId}/unlock", OperationId = "UnlockPatient")]
    public static Task<IResult> Unlock(string patientId, LockPatient? request, IDocumentStore store, TimeProvider clock, HttpContext http) =>
        Change(patientId, request, store, clock, http, locking: false);

    static async Task<IResult> Change(string patientId, LockPatient? request, IDocumentStore store, TimeProvider clock, HttpContext http, bool locking)
    {
        if (request is null) return Problems.Invalid("body", "A JSON body is required.");
        var errors = new FieldErrors();
        var reason = errors.Text(request.Reason, "reason", FieldErrors.MaxReason);
        if (errors.Any) return errors.ToProblem();
        if (!FieldErrors.PatientIdPattern().IsMatch(patientId)) return Problems.UnknownPatient(patientId);

        var by = ReviewAppends.SignedIn(http);
        return await ReviewAppends.AppendAsync<PatientChart>(store, patientId, http,
            (chart, _) => Decide(chart, patientId, locking, by, clock.GetUtcNow(), reason),
            (eventId, version) => new RecordedResult(new RecordedFact(patientId, eventId, version), Created: false));
    }

    public static ReviewDecision Decide(PatientChart? chart, string patientId, bool locking, string by, DateTimeOffset now, string reason)
    {
        if (chart is null) return ReviewDecision.Refuse(Problems.UnknownPatient(patientId));
        if (locking && chart.Lock is { } held)
            return ReviewDecision.Refuse(ReviewProblems.Conflict("patientId", "already-locked", "The patient's record is already locked.",
                $"Patient '{patientId}' was locked by {held.By} at {held.At:yyyy-MM-dd HH:mm}Z ({held.Reason})."));
        if (!locking && chart.Lock is null)
            return ReviewDecision.Refuse(ReviewProblems.Conflict("patientId", "not-locked", "The patient's record is not locked.",
                $"Patient '{patientId}' is not locked: there is nothing to unlock."));
        return ReviewDecision.Append(locking ? new PatientLocked(by, now, reason) : new PatientUnlocked(by, now, reason));
    }
}
