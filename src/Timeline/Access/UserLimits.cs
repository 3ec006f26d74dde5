namespace Timeline.Access;

/// <summary>The kinds of request whose cost follows the whole log, each with its own bound per user.</summary>
public enum CostlyWork
{
    /// <summary>A read that loads every patient or a long stretch of the log (analyses as of a past time, a run diff, the unpaged list).</summary>
    HeavyRead,
    /// <summary>A bulk import: it holds a connection, two writers and a stream for as long as its upload lasts.</summary>
    Import,
}

/// <summary>
/// How many costly requests each user may have running at once. One user's heavy reads or stalled uploads then
/// cannot take the memory, the connections or the cores from everyone else: past the bound the answer is a 429
/// at once (nothing queued, nothing held), with Retry-After. Settings: Timeline:Limits:HeavyReadsPerUser (2),
/// Timeline:Import:ConcurrentPerUser (1).
/// </summary>
public sealed class UserLimits(IConfiguration configuration)
{
    public const int DefaultHeavyReads = 2;
    public const int DefaultImports = 1;

    readonly Dictionary<(string User, CostlyWork Work), int> running = [];

    public int LimitOf(CostlyWork work) => work switch
    {
        CostlyWork.Import => Math.Max(1, configuration.GetValue("Timeline:Import:ConcurrentPerUser", DefaultImports)),
        _ => Math.Max(1, configuration.GetValue("Timeline:Limits:HeavyReadsPerUser", DefaultHeavyReads)),
    };

    /// <summary>How many of this user's requests of this kind are running now.</summary>
    public int Running(string user, CostlyWork work)
    {
        lock (running) return running.GetValueOrDefault((user, work));
    }

    /// <summary>A slot for this user's work, released on dispose; null when the user already has as many running as allowed.</summary>
    public IDisposable? TryEnter(string user, CostlyWork work)
    {
        var key = (user, work);
        var limit = LimitOf(work);
        lock (running)
        {
            var now = running.GetValueOrDefault(key);
            if (now >= limit) return null;
            running[key] = now + 1;
        }
        return new Slot(() =>
        {
            lock (running)
            {
                if (--running[key] == 0) running.Remove(key);
            }
        });
    }

    sealed class Slot(Action leave) : IDisposable
    {
        int done;
        public void Dispose() { if (Interlocked.Exchange(ref done, 1) == 0) leave(); }
    }
}
