using Marten;
using Timeline.Access;
using Timeline.Projections.Events;
using Timeline.Projections.Patients;
using Timeline.Recording;
using Wolverine.Http;

namespace Timeline.Review;

/// <param name="Meaning">"reviewed" or "approved" (21 CFR 11.50(a)(3)).</param>
/// <param name="Secret">The signer's own token, entered again: the signature's re-authentication (21 CFR 11.200(a)).</param>
public sealed record SignRecord(SignatureMeaning? Meaning, string? Secret);

/// <summary>
/// An investigator signs a patient's record as it stands: signer, time, meaning and the stream version covered
/// are the signature's event in the patient's stream (so the history and asOf replays show it). The secret is
/// checked before anything else is looked at, against the stored hash of the signer's token in constant time;
/// a missing or wrong one is a 401 and nothing is written. A locked record can be signed (that is what a lock
/// is for); a later fact or correction supersedes the signature.
/// </summary>
public static class SignRecordEndpoint
{
    [WolverinePost("/api/patients/{patientId}/signatures", OperationId = "SignRecord")]
    public static async Task<IResult> Post(string patientId, SignRecord? request, IDocumentStore store, TimeProvider clock, HttpContext http)
    {
        if (request is null) return Problems.Invalid("body", "A JSON body is required.");
        var signer = ReviewAppends.SignedIn(http);
        if (!await ReauthenticatedAsync(store, signer, request.Secret, http.RequestAborted))
        {
            http.Response.Headers.WWWAuthenticate = "Secret realm=\"e-signature\"";
            return ReviewProblems.SignatureNotAuthenticated(!string.IsNullOrEmpty(request.Secret));
        }
        if (request.Meaning is not { } meaning) return Problems.Invalid("meaning", "meaning is required: \"reviewed\" or \"approved\".");
        if (!FieldErrors.PatientIdPattern().IsMatch(patientId)) return Problems.UnknownPatient(patientId);

        return await ReviewAppends.AppendAsync<PatientChart>(store, patientId, http,
            (chart, version) => chart is null
                ? ReviewDecision.Refuse(Problems.UnknownPatient(patientId))
                : ReviewDecision.Append(new RecordSigned(signer, clock.GetUtcNow(), meaning, version)),
            (eventId, version) => new RecordedResult(new RecordedFact(patientId, eventId, version), Created: false));
    }

    /// <summary>The secret is the signed-in user's own, active token (read afresh, never from the sign-in cache).</summary>
    static async Task<bool> ReauthenticatedAsync(IDocumentStore store, string signer, string? secret, CancellationToken ct)
    {
        if (!Tokens.IsWellFormed(secret)) return false;
        await using var session = store.QuerySession();
        var user = await session.LoadAsync<ApiUser>(signer, ct);
        return user is { IsActive: true } && Tokens.Matches(secret!, user.TokenHash);
    }
}
