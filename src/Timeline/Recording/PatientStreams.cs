using JasperFx;
using Marten;
using Marten.Exceptions;
using Timeline.Access;
using Timeline.Projections.Events;
using Timeline.Projections.Patients;

namespace Timeline.Recording;

/// <summary>The success answer of every recording route.</summary>
public sealed record RecordedFact(string PatientId, Guid EventId, long Version);

/// <summary>
/// The write side: load a patient's chart, let a command decide against it, append what it decided with
/// the version it read. Appends without an Idempotency-Key are written in groups (<see cref="GroupedAppends"/>),
/// and alone when a group fails. A version clash means someone else appended in between: without If-Match the
/// command is decided again against the new chart (so concurrent recorders are serialized, never 500);
/// with If-Match the client asked for exactly that version, so the answer is 412.
/// </summary>
public sealed class PatientStreams(IDocumentStore store, GroupedAppends grouped, TimeProvider clock, ILogger<PatientStreams> logger)
{
    const int MaxAttempts = 25;

    /// <summary>Today as the latest calendar date anywhere (UTC+14), so no site's today reads as the future.</summary>
    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime.AddHours(14));

    public async Task<IResult> Enrol(string patientId, PatientEnrolled enrolment, HttpContext http)
    {
        await using var session = Session(http);
        var action = session.Events.StartStream(patientId, enrolment);
        var result = new RecordedResult(new RecordedFact(patientId, action.Events[0].Id, 1), Created: true);
        var idempotency = http.Features.Get<IdempotencyScope>();
        idempotency?.AddTo(session, result);
        try
        {
            await session.SaveChangesAsync(http.RequestAborted);
        }
        catch (ExistingStreamIdCollisionException)
        {
            return Problems.DuplicatePatient(patientId);
        }
        catch (Exception e) when (Clash(e) == ClashKind.Twin && idempotency is not null)
        {
            return await TwinsAnswer(idempotency, http);
        }
        idempotency?.Committed();
        return result;
    }

    public async Task<IResult> Append(string patientId, HttpContext http, Func<PatientChart, Decision> decide)
    {
        var ifMatch = IfMatch.Parse(http.Request);
        if (ifMatch.Problem is { } malformed) return malformed;
        // An id that could never have been enrolled names nobody (and never reaches the database).
        if (!FieldErrors.PatientIdPattern().IsMatch(patientId)) return Problems.UnknownPatient(patientId);
        var expected = ifMatch.Version;

        // An Idempotency-Key's answer is written with its event and has its own clashes: such appends go alone.
        if (http.Features.Get<IdempotencyScope>() is not null) return await AppendAlone(patientId, expected, http, decide);
        return await grouped.AppendAsync(new GroupedAppends.PendingAppend(patientId, expected, RecordedBy(http), decide,
            () => AppendAlone(patientId, expected, http, decide), http.RequestAborted));
    }

    /// <summary>One append in a transaction of its own, decided again after a clash with another appender.</summary>
    public async Task<IResult> AppendAlone(string patientId, long? expected, HttpContext http, Func<PatientChart, Decision> decide)
    {
        var idempotency = http.Features.Get<IdempotencyScope>();
        for (var attempt = 1; ; attempt++)
        {
            await using var session = Session(http);
            // After a clash, the appender we clashed with may have been a copy of this very request.
            if (attempt > 1 && idempotency is not null && await idempotency.StoredAnswerAsync(session, http.RequestAborted) is { } twins)
                return twins;
            // One round trip: the stream's version and its chart (the inline document, written in the same
            // transaction as every event, so always exactly at the stream's head). The append below is checked
            // against that version, and the inline projection applies the new event to this same chart.
            var stream = await session.Events.FetchForWriting<PatientChart>(patientId, http.RequestAborted);
            var answer = DecideOn(stream, patientId, expected, decide);
            if (answer is not RecordedResult result) return answer;
            // An Idempotency-Key's answer commits with the event: after a crash both are there or neither is.
            idempotency?.AddTo(session, result);
            try
            {
                await session.SaveChangesAsync(http.RequestAborted);
                idempotency?.Committed();
                return result;
            }
            catch (Exception e) when (Clash(e) == ClashKind.Twin && idempotency is not null)
            {
                return await TwinsAnswer(idempotency, http);
            }
            catch (Exception e) when (Clash(e) == ClashKind.Version && expected is null)
            {
                if (attempt >= MaxAttempts) return AccessProblems.TooBusy(attempt);
                logger.LogDebug("Version clash on a stream, attempt {Attempt}; deciding again", attempt);
                await Task.Delay(Random.Shared.Next(1, 5 * attempt), http.RequestAborted);
            }
            catch (Exception e) when (Clash(e) == ClashKind.Version)
            {
                var now = await session.Events.FetchStreamStateAsync(patientId, http.RequestAborted);
                return Problems.VersionMismatch(expected!.Value, now?.Version ?? result.Fact.Version - 1); // else: the version read
            }
        }
    }

    enum ClashKind { None, Version, Twin }

    /// <summary>
    /// What a failed append collided with. Marten reports a version clash as a ConcurrencyException, but not on
    /// every path: under load the unique key of (stream, version) can surface as the database's own 23505.
    /// </summary>
    static ClashKind Clash(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            switch (x)
            {
                case DocumentAlreadyExistsException exists:
                    return exists.DocType == typeof(IdempotentAnswer) ? ClashKind.Twin : ClashKind.None;
                case ConcurrencyException:
                    return ClashKind.Version;
                case Npgsql.PostgresException { SqlState: "23505" } unique:
                    var where = (unique.TableName ?? "") + " " + (unique.ConstraintName ?? "");
                    if (where.Contains("idempotentanswer", StringComparison.OrdinalIgnoreCase)) return ClashKind.Twin;
                    if (where.Contains("mt_events", StringComparison.OrdinalIgnoreCase) || where.Contains("mt_streams", StringComparison.OrdinalIgnoreCase))
                        return ClashKind.Version;
                    return ClashKind.None;
            }
        }
        return ClashKind.None;
    }

    /// <summary>A copy of this request (same Idempotency-Key) committed first: its answer is this one's too.</summary>
    async Task<IResult> TwinsAnswer(IdempotencyScope idempotency, HttpContext http) =>
        await idempotency.StoredAnswerAsync(store, http.RequestAborted)
        ?? throw new InvalidOperationException("The idempotent answer that collided is gone.");

    /// <summary>
    /// Decides one append against the chart and version fetched for writing, alone or in a group: a refusal (no
    /// such patient, a stale If-Match, a broken rule), or the event appended to the stream and the
    /// <see cref="RecordedResult"/> it answers once committed.
    /// </summary>
    internal static IResult DecideOn(JasperFx.Events.IEventStream<PatientChart> stream, string patientId, long? expected, Func<PatientChart, Decision> decide)
    {
        if (stream.Aggregate is not { } chart || stream.CurrentVersion is not { } version) return Problems.UnknownPatient(patientId);
        if (expected is { } v && v != version) return Problems.VersionMismatch(v, version);
        // On the chart fetched for writing: a lock appended since fails this append's version, which is then decided again.
        if (chart.Lock is { } held) return Review.ReviewProblems.Locked(patientId, held);

        var decision = decide(chart);
        if (decision.Refusal is { } refusal) return refusal;

        stream.AppendOne(decision.Event!);
        return new RecordedResult(new RecordedFact(patientId, stream.Events[^1].Id, version + 1), Created: false);
    }

    IDocumentSession Session(HttpContext http)
    {
        var session = store.LightweightSession();
        session.LastModifiedBy = RecordedBy(http);
        return session;
    }

    /// <summary>
    /// recordedBy comes from the authenticated user only, never from a body, and every event has one: an append
    /// without a signed-in user (a caller that forgot to sign in its own principal) fails rather than write an
    /// authorless fact (21 CFR 11.10(e)).
    /// </summary>
    static string RecordedBy(HttpContext http) =>
        http.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name
        : throw new InvalidOperationException("An append needs a signed-in user: the audit history names who recorded every event.");
}
