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
/// How many costly requests each user may have running at once, so that one user's heavy reads or stalled uploads
/// cannot take the memory, the connections or the cores from everyone else. Heavy reads past the bound wait in a
/// short line (the cohort page asks for five analyses at once; a waiting request holds no data) and are refused
/// when the line is full or the wait too long; an import is refused at once (a waiting upload would hold its
/// connection). Refused: a 429 problem with Retry-After, nothing done. Settings (read when a user's gate opens):
/// Timeline:Limits:HeavyReadsPerUser (2), Timeline:Limits:HeavyReadQueuePerUser (8),
/// Timeline:Limits:HeavyReadWaitSeconds (15), Timeline:Import:ConcurrentPerUser (1).
/// </summary>
public sealed class UserLimits(IConfiguration configuration)
{
    public const int DefaultHeavyReads = 2;
    public const int DefaultHeavyReadQueue = 8;
    public const int DefaultHeavyReadWaitSeconds = 15;
    public const int DefaultImports = 1;

    sealed class Gate(int limit, int queue) : IDisposable
    {
        public readonly SemaphoreSlim Slots = new(limit, limit);
        public readonly int Limit = limit;
        public readonly int Queue = queue;
        public int Holders; // running and waiting
        public void Dispose() => Slots.Dispose();
    }

    readonly Dictionary<(string User, CostlyWork Work), Gate> gates = [];

    /// <summary>
    /// The app-wide line for heavy reads, entered after the user's own: by default one fewer than the cores run at
    /// once (one on two cores), so that however many users read heavily, a core stays free for recording, the
    /// light reads and /health. Timeline:Limits:HeavyReadsAtOnce, Timeline:Limits:HeavyReadQueue (32).
    /// </summary>
    public const string Everyone = "\u0000everyone";

    int AppWideLimit => Math.Max(1, configuration.GetValue("Timeline:Limits:HeavyReadsAtOnce", Math.Max(1, Environment.ProcessorCount - 1)));

    int AppWideQueue => Math.Max(0, configuration.GetValue("Timeline:Limits:HeavyReadQueue", 32));

    public int LimitOf(CostlyWork work) => work switch
    {
        CostlyWork.Import => Math.Max(1, configuration.GetValue("Timeline:Import:ConcurrentPerUser", DefaultImports)),
        _ => Math.Max(1, configuration.GetValue("Timeline:Limits:HeavyReadsPerUser", DefaultHeavyReads)),
    };

    int QueueOf(CostlyWork work) =>
        work == CostlyWork.Import ? 0 : Math.Max(0, configuration.GetValue("Timeline:Limits:HeavyReadQueuePerUser", DefaultHeavyReadQueue));

    TimeSpan WaitOf(CostlyWork work) => work == CostlyWork.Import ? TimeSpan.Zero
        : TimeSpan.FromSeconds(Math.Max(0, configuration.GetValue("Timeline:Limits:HeavyReadWaitSeconds", DefaultHeavyReadWaitSeconds)));

    /// <summary>How many of this user's requests of this kind are running now (not counting those waiting).</summary>
    public int Running(string user, CostlyWork work)
    {
        lock (gates) return gates.TryGetValue((user, work), out var gate) ? gate.Limit - gate.Slots.CurrentCount : 0;
    }

    /// <summary>A slot for this user's work, released on dispose; null when the bound is reached and the line full or too slow.</summary>
    public async Task<IDisposable?> TryEnterAsync(string user, CostlyWork work, CancellationToken ct)
    {
        var key = (user, work);
        Gate gate;
        lock (gates)
        {
            if (!gates.TryGetValue(key, out gate!))
                gates[key] = gate = user == Everyone ? new Gate(AppWideLimit, AppWideQueue) : new Gate(LimitOf(work), QueueOf(work));
            if (gate.Holders >= gate.Limit + gate.Queue) return null;
            gate.Holders++;
        }
        var entered = false;
        try
        {
            entered = await gate.Slots.WaitAsync(WaitOf(work), ct);
        }
        finally
        {
            if (!entered) Leave(key, gate, release: false);
        }
        return entered ? new Slot(() => Leave(key, gate, release: true)) : null;
    }

    void Leave((string, CostlyWork) key, Gate gate, bool release)
    {
        if (release) gate.Slots.Release();
        lock (gates)
        {
            if (--gate.Holders == 0 && gates.Remove(key)) gate.Dispose();
        }
    }

    sealed class Slot(Action leave) : IDisposable
    {
        int done;
        public void Dispose() { if (Interlocked.Exchange(ref done, 1) == 0) leave(); }
    }
}
