using System.Net;
using System.Text;

namespace Timeline.Tests.Hardening;

/// <summary>
/// A request body that sends its first part at once and the rest only when told (or never): a stalled or slow
/// upload. <see cref="Started"/> completes once the first part is handed to the server.
/// </summary>
public sealed class TrickleContent(string first, string rest = "") : HttpContent
{
    readonly TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly TaskCompletionSource started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Started => started.Task;

    /// <summary>True once the server read past the first part (it asked for the rest).</summary>
    public bool RestSent { get; private set; }

    public void Release() => release.TrySetResult();

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(first));
        await stream.FlushAsync();
        started.TrySetResult();
        await release.Task.WaitAsync(TimeSpan.FromSeconds(60));
        RestSent = true;
        await stream.WriteAsync(Encoding.UTF8.GetBytes(rest));
    }

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false; // chunked: the server cannot know the size in advance
    }
}
