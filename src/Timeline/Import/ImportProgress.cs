namespace Timeline.Import;

/// <summary>Live counters of a running import, safe to read from another thread (the progress line).</summary>
public sealed class ImportProgress
{
    long lines, patientsImported, patientsRefused, eventsAppended;

    public long Lines => Volatile.Read(ref lines);
    public long PatientsImported => Volatile.Read(ref patientsImported);
    public long PatientsRefused => Volatile.Read(ref patientsRefused);
    public long EventsAppended => Volatile.Read(ref eventsAppended);

    internal void SetLines(long count) => Volatile.Write(ref lines, count);
    internal void Refused() => Interlocked.Increment(ref patientsRefused);
    internal void Imported(int patients, long events)
    {
        Interlocked.Add(ref patientsImported, patients);
        Interlocked.Add(ref eventsAppended, events);
    }
}
