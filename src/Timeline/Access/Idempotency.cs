using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Marten;
using JasperFx;
using Microsoft.Extensions.Options;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Timeline.Access;

/// <summary>
/// A POST with an Idempotency-Key header is answered once: a retry with the same key (by the same user) gets
/// the first answer again, status, body and ETag, and nothing is appended again. Same key, different request:
/// 422. The answer is stored under a unique key, (user, key), in PostgreSQL; a recording stores it in the
/// same transaction as its event, so after a crash either both are there or neither is. Two copies racing in
/// this process queue behind each other; copies racing through two processes meet at the unique key, and
/// the loser returns the winner's stored answer. Server errors (5xx) are not stored: they can be retried.
/// </summary>
public sealed class Idempotency(RequestDelegate next, IDocumentStore store, IOptions<JsonOptions> json, TimeProvider clock, ILogger<Idempotency> logger)
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    readonly KeyedGate gates = new();

    public async Task InvokeAsync(HttpContext http)
    {
        var key = http.Request.Headers[Header].ToString();
        var user = http.User.Identity?.IsAuthenticated == true ? http.User.Identity.Name : null;
        if (!HttpMethods.IsPost(http.Request.Method) || key.Length == 0 || user is null)
        {
            await next(http);
            return;
        }
        if (AccessPolicy.For(http.Request.Method, (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText).MaxBodyBytes is null)
        {
            // A streamed body (the import) would have to be stored whole to be hashed and replayed: no cap on disk.
            // An import needs no key anyway: run again, the patients already present are refused and the rest imported.
            await Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Idempotency-Key is not accepted here.",
                detail: $"{http.Request.Method} {http.Request.Path} streams its body and is already safe to repeat: patients already present "
                    + "are refused as existing, the others imported. Send it again without Idempotency-Key. Nothing was read or recorded.",
                extensions: new Dictionary<string, object?> { ["field"] = Header }).ExecuteAsync(http);
            return;
        }
        if (key.Length > 255 || key.Any(c => c is < '!' or > '~'))
        {
            await Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The request is invalid.",
                detail: "Idempotency-Key must be 1–255 visible ASCII characters (a UUID is a good choice).",
                extensions: new Dictionary<string, object?> { ["field"] = Header }).ExecuteAsync(http);
            return;
        }

        var scope = new IdempotencyScope($"{user}/{key}", await HashRequestAsync(http), json.Value.SerializerOptions, clock);
        using var gate = await gates.EnterAsync(scope.Id, MaxWait, http.RequestAborted);
        if (gate is null)
        {
            await Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The same request is still being answered.",
                detail: "A request with this Idempotency-Key is in progress; retry in a moment.",
                extensions: new Dictionary<string, object?> { ["field"] = Header }).ExecuteAsync(http);
            return;
        }

        if (await scope.StoredAnswerAsync(store, http.RequestAborted) is { } earlier)
        {
            await earlier.ExecuteAsync(http);
            return;
        }

        http.Features.Set(scope);
        var realBody = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            await next(http);
        }
        finally
        {
            http.Response.Body = realBody;
        }

        var status = http.Response.StatusCode;
        if (status < 500 && !scope.StoredWithWrite)
        {
            var answer = scope.Answer(status, Encoding.UTF8.GetString(buffer.ToArray()), http.Response.ContentType,
                http.Response.Headers.ETag.ToString(), http.Response.Headers.Location.ToString());
            await using var session = store.LightweightSession();
            session.Insert(answer);
            try
            {
                await session.SaveChangesAsync(http.RequestAborted);
            }
            catch (DocumentAlreadyExistsException)
            {
                // A twin in another process answered first; this one wrote nothing (a write stores its answer with it).
                logger.LogInformation("An idempotent request lost a race to its twin; answering with the stored answer");
                http.Response.Headers.Clear();
                await (await scope.StoredAnswerAsync(store, http.RequestAborted))!.ExecuteAsync(http);
                return;
            }
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(realBody, http.RequestAborted);
    }

    /// <summary>SHA-256 of the method, path, query and body; the body is buffered (to disk past 64 KiB) and rewound for the route.</summary>
    static async Task<string> HashRequestAsync(HttpContext http)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{http.Request.Method}\n{http.Request.Path}{http.Request.QueryString}\n"));
        http.Request.EnableBuffering(bufferThreshold: 64 * 1024);
        var chunk = new byte[16 * 1024];
        int n;
        while ((n = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0) hash.AppendData(chunk, 0, n);
        http.Request.Body.Position = 0;
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}

/// <summary>The idempotency key of the current request, for a route that stores its answer with its write.</summary>
public sealed class IdempotencyScope(string id, string requestHash, System.Text.Json.JsonSerializerOptions json, TimeProvider clock)
{
    public string Id { get; } = id;
    public string RequestHash { get; } = requestHash;

    /// <summary>True once the answer was committed together with the write.</summary>
    public bool StoredWithWrite { get; private set; }

    public IdempotentAnswer Answer(int status, string body, string? contentType, string? etag, string? location) => new()
    {
        Id = Id, RequestHash = RequestHash, Status = status, Body = body, ContentType = contentType,
        ETag = string.IsNullOrEmpty(etag) ? null : etag, Location = string.IsNullOrEmpty(location) ? null : location,
        CreatedAt = clock.GetUtcNow(),
    };

    /// <summary>Adds a recording's answer to the session that appends its event; call <see cref="Committed"/> once it saved.</summary>
    /// <remarks>The same status, headers and body as <see cref="Recording.RecordedResult"/> writes (a test compares them).</remarks>
    public void AddTo(IDocumentSession session, Recording.RecordedResult result) =>
        session.Insert(Answer(result.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK,
            System.Text.Json.JsonSerializer.Serialize(result.Fact, json), "application/json; charset=utf-8",
            $"\"{result.Fact.Version}\"", result.Created ? $"/api/patients/{Uri.EscapeDataString(result.Fact.PatientId)}" : null));

    public void Committed() => StoredWithWrite = true;

    /// <summary>The stored first answer (or a 422 when the key was first used for another request); null when none.</summary>
    public async Task<IResult?> StoredAnswerAsync(IQuerySession session, CancellationToken ct)
    {
        var stored = await session.LoadAsync<IdempotentAnswer>(Id, ct);
        if (stored is null) return null;
        if (stored.RequestHash != RequestHash)
            return Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Idempotency-Key reused.",
                detail: "This Idempotency-Key was first used for a different request (method, path or body). Use a new key for a new request.",
                extensions: new Dictionary<string, object?> { ["field"] = Idempotency.Header });
        return new ReplayedAnswer(stored);
    }

    public async Task<IResult?> StoredAnswerAsync(IDocumentStore store, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await StoredAnswerAsync(session, ct);
    }
}

/// <summary>The first answer again, byte for byte, marked as a replay.</summary>
public sealed class ReplayedAnswer(IdempotentAnswer answer) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = answer.Status;
        if (answer.ContentType is not null) httpContext.Response.ContentType = answer.ContentType;
        if (answer.ETag is not null) httpContext.Response.Headers.ETag = answer.ETag;
        if (answer.Location is not null) httpContext.Response.Headers.Location = answer.Location;
        httpContext.Response.Headers[Idempotency.ReplayedHeader] = "true";
        await httpContext.Response.WriteAsync(answer.Body, httpContext.RequestAborted);
    }
}

/// <summary>One waiting line per key: the second copy of a request waits until the first has its answer stored.</summary>
public sealed class KeyedGate
{
    readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    sealed class Entry : IDisposable
    {
        public readonly SemaphoreSlim Semaphore = new(1, 1);
        public int Users;
        public void Dispose() => Semaphore.Dispose();
    }

    /// <summary>Enters the key's gate; null when it stays taken longer than <paramref name="wait"/>.</summary>
    public async Task<IDisposable?> EnterAsync(string key, TimeSpan wait, CancellationToken ct)
    {
        Entry entry;
        lock (entries)
        {
            entry = entries.GetOrAdd(key, _ => new Entry());
            entry.Users++;
        }
        var entered = false;
        try
        {
            entered = await entry.Semaphore.WaitAsync(wait, ct);
        }
        finally
        {
            if (!entered) Leave(key, entry, release: false);
        }
        return entered ? new Exit(() => Leave(key, entry, release: true)) : null;
    }

    void Leave(string key, Entry entry, bool release)
    {
        if (release) entry.Semaphore.Release();
        lock (entries)
        {
            if (--entry.Users == 0 && entries.TryRemove(key, out _)) entry.Dispose();
        }
    }

    sealed class Exit(Action leave) : IDisposable
    {
        int done;
        public void Dispose() { if (Interlocked.Exchange(ref done, 1) == 0) leave(); }
    }
}
