using System.Threading.Channels;
using Marten;
using Timeline.Projections.Patients;

namespace Timeline.Recording;

/// <summary>
/// Group commit for recordings: the appends that arrive while one group is being written are decided and
/// written together, by one writer, in one transaction (one read of every chart, one write, one commit), and
/// each request is answered only once that transaction has committed. Under load each append then costs a
/// fraction of the three database round trips it needs on its own, which on two cores were most of its cost
/// (socket calls and wake-ups on both sides). A group holds one recorder's appends (the history's recordedBy
/// is per transaction) and at most one per patient, so every decision sees the chart as the previous group
/// left it. If the group's transaction fails for any reason (another process appended to one of its patients,
/// the database went away), nothing of it was written and each of its appends is tried again on its own
/// (<see cref="PatientStreams.AppendAlone"/>), which has the answers for those cases.
/// </summary>
public sealed class GroupedAppends : IAsyncDisposable
{
    /// <summary>At most this many appends in one transaction.</summary>
    public const int MaxGroup = 64;

    readonly IDocumentStore store;
    readonly ILogger<GroupedAppends> logger;
    readonly Channel<PendingAppend> queue = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });
    readonly List<PendingAppend> waiting = [];
    readonly Task writer;

    public GroupedAppends(IDocumentStore store, ILogger<GroupedAppends> logger)
    {
        this.store = store;
        this.logger = logger;
        writer = Task.Run(WriteGroupsAsync);
    }

    /// <summary>One request's append: what it decides with, and where its answer goes.</summary>
    public sealed record PendingAppend(
        string PatientId, long? ExpectedVersion, string? RecordedBy, Func<PatientChart, Decision> Decide,
        Func<Task<IResult>> Alone, CancellationToken Aborted)
    {
        public TaskCompletionSource<IResult> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public Task<IResult> AppendAsync(PendingAppend append)
    {
        // Shutting down, or (never expected) the writer has stopped: on its own, never left waiting.
        if (writer.IsCompleted || !queue.Writer.TryWrite(append)) return append.Alone();
        return append.Answer.Task;
    }

    async Task WriteGroupsAsync()
    {
        while (waiting.Count > 0 || await queue.Reader.WaitToReadAsync())
        {
            while (queue.Reader.TryRead(out var next))
            {
                if (next.Aborted.IsCancellationRequested) next.Answer.TrySetCanceled(next.Aborted); // the client has gone: nothing to write
                else waiting.Add(next);
            }
            if (waiting.Count == 0) continue;
            var group = TakeGroup();
            try
            {
                await WriteAsync(group);
            }
            catch (Exception e)
            {
                logger.LogDebug(e, "A group of {Count} appends failed; each is tried on its own", group.Count);
                // At once: a group holds each patient once, so they cannot clash with each other.
                await Task.WhenAll(group.Select(AloneAsync));
            }
        }
    }

    /// <summary>The oldest waiting append and every later one of the same recorder for another patient, in order.</summary>
    List<PendingAppend> TakeGroup()
    {
        var first = waiting[0];
        var patients = new HashSet<string>(StringComparer.Ordinal);
        var group = new List<PendingAppend>();
        var kept = 0;
        for (var i = 0; i < waiting.Count; i++)
        {
            var append = waiting[i];
            if (group.Count < MaxGroup && append.RecordedBy == first.RecordedBy && patients.Add(append.PatientId)) group.Add(append);
            else waiting[kept++] = append; // stays, in its order, for a later group
        }
        waiting.RemoveRange(kept, waiting.Count - kept);
        return group;
    }

    async Task WriteAsync(List<PendingAppend> group)
    {
        await using var session = store.LightweightSession();
        session.LastModifiedBy = group[0].RecordedBy;
        var streams = await session.Events.FetchManyForWriting<PatientChart>(group.Select(a => a.PatientId).ToList());

        var answers = new IResult[group.Count];
        for (var i = 0; i < group.Count; i++)
            answers[i] = PatientStreams.DecideOn(streams[i], group[i].PatientId, group[i].ExpectedVersion, group[i].Decide);
        if (answers.Any(a => a is RecordedResult)) await session.SaveChangesAsync(); // refusals alone write nothing
        for (var i = 0; i < group.Count; i++) group[i].Answer.TrySetResult(answers[i]);
    }

    static async Task AloneAsync(PendingAppend append)
    {
        try
        {
            append.Answer.TrySetResult(await append.Alone());
        }
        catch (Exception e)
        {
            append.Answer.TrySetException(e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await writer;
    }
}
