namespace Timeline.Exchange;

/// <summary>
/// The response body as the zip writer needs it. Closing a compressed entry writes its last bytes synchronously
/// (DeflateStream's dispose has no asynchronous path), and Kestrel refuses synchronous writes to a response. So the
/// few synchronous writes are held here and sent, in order, ahead of the next asynchronous write or flush; everything
/// else goes straight through. Nothing blocks a thread, and the archive still streams.
/// </summary>
public sealed class DeferredWritesStream(Stream inner) : Stream
{
    readonly MemoryStream held = new();

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => held.Write(buffer, offset, count);
    public override void Write(ReadOnlySpan<byte> buffer) => held.Write(buffer);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await SendHeldAsync(cancellationToken);
        await inner.WriteAsync(buffer, cancellationToken);
    }

    /// <summary>Sends what synchronous writes left behind; call it once the archive is complete.</summary>
    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await SendHeldAsync(cancellationToken);
        await inner.FlushAsync(cancellationToken);
    }

    // A flush from a synchronous caller keeps the bytes for the next asynchronous write or flush.
    public override void Flush() { }

    async ValueTask SendHeldAsync(CancellationToken ct)
    {
        if (held.Length == 0) return;
        await inner.WriteAsync(held.GetBuffer().AsMemory(0, (int)held.Length), ct);
        held.SetLength(0);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) held.Dispose();
        base.Dispose(disposing);
    }
}
