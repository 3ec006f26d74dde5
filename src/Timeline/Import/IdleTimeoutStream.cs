namespace Timeline.Import;

/// <summary>
/// An upload that must keep coming: a read that gets no byte within the idle timeout ends the import with a 408.
/// Only the time spent waiting on the client counts: while the import's writers hold the reader back
/// (back-pressure), no read is pending, so a slow database never times a client out. Kestrel's minimum data rate
/// is off for the import for that reason; this takes its place. A trickle of a byte now and then still passes
/// each read, so the total time is bounded too (<see cref="MaxDuration"/>).
/// </summary>
public sealed class IdleTimeoutStream(Stream inner, TimeSpan idle, TimeSpan maxDuration, TimeProvider clock) : Stream
{
    readonly long started = clock.GetTimestamp();

    public TimeSpan MaxDuration => maxDuration;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var left = maxDuration - clock.GetElapsedTime(started);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(left < idle ? (left > TimeSpan.Zero ? left : TimeSpan.Zero) : idle);
        try
        {
            return await inner.ReadAsync(buffer, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BadHttpRequestException(left < idle
                ? $"The upload took longer than {maxDuration.TotalSeconds:0} s."
                : $"No data arrived for {idle.TotalSeconds:0} s.", StatusCodes.Status408RequestTimeout);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
