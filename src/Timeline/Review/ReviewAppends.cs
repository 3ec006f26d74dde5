using JasperFx;
using Marten;
using Timeline.Access;
using Timeline.Recording;

namespace Timeline.Review;

/// <summary>What a review command decides against a stream's write model and version: one event, or a refusal.</summary>
public sealed record ReviewDecision(object? Event, IResult? Refusal)
{
    public static ReviewDecision Append(object @event) => new(@event, null);
    public static ReviewDecision Refuse(IResult problem) => new(null, problem);
}

/// <summary>
/// The append path of the review routes, on a patient's stream (lock, unlock, signature) or on a query's: the
/// write model and the stream's version in one read (FetchForWriting), a decision against them, the event
/// appended at the version read. A clash with another appender means the state decided on is gone: decided
/// again (or 412 with If-Match). So a lock and a recording that race are serialized by the stream's version,
/// and the recording, decided again, sees the lock.
/// </summary>
public static class ReviewAppends
{
    const int MaxAttempts = 25;

    /// <summary>Decides and appends; <paramref name="answer"/> builds the success answer from the new event's id and version.</summary>
    public static async Task<IResult> AppendAsync<T>(IDocumentStore store, string streamId, HttpContext http,
        Func<T?, long, ReviewDecision> decide, Func<Guid, long, IResult> answer) where T : class
    {
        var ifMatch = IfMatch.Parse(http.Request);
        if (ifMatch.Problem is { } malformed) return malformed;
        for (var attempt = 1; ; attempt++)
        {
            await using var session = store.LightweightSession();
            session.LastModifiedBy = SignedIn(http);
            var stream = await session.Events.FetchForWriting<T>(streamId, http.RequestAborted);
            var version = stream.CurrentVersion ?? 0;
            if (version > 0 && ifMatch.Version is { } v && v != version) return Problems.VersionMismatch(v, version);

            var decision = decide(version == 0 ? null : stream.Aggregate, version);
            if (decision.Refusal is { } refusal) return refusal;
            stream.AppendOne(decision.Event!);
            try
            {
                await session.SaveChangesAsync(http.RequestAborted);
                return answer(stream.Events[^1].Id, version + 1);
            }
            catch (Exception e) when (IsVersionClash(e))
            {
                if (ifMatch.Version is { } expected) return Problems.VersionMismatch(expected, version);
                if (attempt >= MaxAttempts) return AccessProblems.TooBusy(attempt);
                await Task.Delay(Random.Shared.Next(1, 5 * attempt), http.RequestAborted);
            }
        }
    }

    /// <summary>The signed-in user (access control ran before every review route): the author of the event.</summary>
    public static string SignedIn(HttpContext http) =>
        http.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name
        : throw new InvalidOperationException("A review needs a signed-in user: the audit history names who did it.");

    static bool IsVersionClash(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is ConcurrencyException) return true;
            if (x is Npgsql.PostgresException { SqlState: "23505" } unique
                && ((unique.TableName ?? "") + (unique.ConstraintName ?? "")).Contains("mt_", StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }
}
