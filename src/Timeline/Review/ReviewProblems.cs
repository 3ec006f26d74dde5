using Timeline.Projections.Events;
using Timeline.Projections.Patients;

namespace Timeline.Review;

/// <summary>RFC 9457 answers of the review routes (locks, signatures, data queries), each naming the field or rule.</summary>
public static class ReviewProblems
{
    /// <summary>A fact or correction for a locked patient: refused until an administrator unlocks the record.</summary>
    public static IResult Locked(string patientId, ChartLock held) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The patient's record is locked.",
            detail: $"Patient '{patientId}' was locked by {held.By} at {held.At:yyyy-MM-dd HH:mm}Z ({held.Reason}): nothing can be " +
                    "recorded or corrected until an administrator unlocks it. Nothing was recorded.",
            type: "urn:timeline:rule:record-locked",
            extensions: new Dictionary<string, object?>
            {
                ["field"] = "patientId", ["rule"] = "record-locked", ["lockedBy"] = held.By, ["lockedAt"] = held.At,
                ["lockReason"] = held.Reason, ["lockEventId"] = held.EventId,
            });

    public static IResult Conflict(string field, string rule, string title, string detail) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail + " Nothing was recorded.",
            type: $"urn:timeline:rule:{rule}", extensions: new Dictionary<string, object?> { ["field"] = field, ["rule"] = rule });

    /// <summary>21 CFR 11.200(a): a signature needs the signer's own credential again, in the same request.</summary>
    public static IResult SignatureNotAuthenticated(bool given) =>
        Results.Problem(statusCode: StatusCodes.Status401Unauthorized,
            title: given ? "The secret does not match." : "Re-enter your token to sign.",
            detail: (given ? "secret is not your token" : "secret is required: re-enter your own token")
                    + " (a signature is bound to its signer by re-authentication, 21 CFR 11.200). Nothing was signed.",
            type: "urn:timeline:rule:signature-reauthentication",
            extensions: new Dictionary<string, object?> { ["field"] = "secret", ["rule"] = "signature-reauthentication" });

    public static IResult UnknownQuery(string queryId) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown query.",
            detail: $"No data query with id '{queryId}'.", extensions: new Dictionary<string, object?> { ["field"] = "queryId" });

    public static IResult QueryState(string queryId, QueryStatus status, string wanted) =>
        Conflict("status", $"query-{status.ToString().ToLowerInvariant()}", $"The query is {status.ToString().ToLowerInvariant()}.",
            $"Query '{queryId}' is {status.ToString().ToLowerInvariant()}: it cannot be {wanted}" +
            (status == QueryStatus.Closed ? " (a closed query is not edited; reopen it first)." : "."));
}
