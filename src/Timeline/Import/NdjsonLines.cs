using System.Buffers;
using System.IO.Pipelines;

namespace Timeline.Import;

/// <summary>
/// Splits a byte stream into lines as it arrives, holding at most one line (up to <see cref="MaxLineBytes"/>)
/// and the reader's current buffer: a file or request body of any size is read in bounded memory.
/// </summary>
public static class NdjsonLines
{
    /// <summary>A longer line is refused whole (its patient with it) and skipped without being held.</summary>
    public const int MaxLineBytes = 1024 * 1024;

    /// <param name="onLine">Gets each line's number (from 1) and bytes, without its end; the bytes are only valid during the call. Blank lines are counted, not passed.</param>
    /// <param name="onOverlong">Gets the number of a line longer than <see cref="MaxLineBytes"/>.</param>
    /// <param name="afterChunk">Awaited after each read chunk: where the caller may hand on work (and so apply back-pressure).</param>
    public static async Task ReadAsync(PipeReader reader, Action<long, ReadOnlyMemory<byte>> onLine, Action<long> onOverlong,
        Func<ValueTask> afterChunk, CancellationToken ct)
    {
        long number = 0;
        var skipping = false; // inside a line already found too long
        var scratch = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(ct);
                var buffer = result.Buffer;
                while (buffer.PositionOf((byte)'\n') is { } end)
                {
                    var line = buffer.Slice(0, end);
                    buffer = buffer.Slice(buffer.GetPosition(1, end));
                    number++;
                    if (skipping)
                    {
                        skipping = false;
                        onOverlong(number);
                    }
                    else if (line.Length > MaxLineBytes) onOverlong(number);
                    else Deliver(number, line, ref scratch, onLine);
                }
                if (result.IsCompleted)
                {
                    if (skipping) onOverlong(++number);
                    else if (buffer.Length > MaxLineBytes) onOverlong(++number);
                    else if (!buffer.IsEmpty) Deliver(++number, buffer, ref scratch, onLine);
                    reader.AdvanceTo(buffer.End);
                    await afterChunk();
                    return;
                }
                if (buffer.Length > MaxLineBytes)
                {
                    // Too long to hold: drop what has come and skip to the end of this line.
                    skipping = true;
                    reader.AdvanceTo(buffer.End);
                }
                else reader.AdvanceTo(buffer.Start, buffer.End);
                await afterChunk();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    static void Deliver(long number, ReadOnlySequence<byte> line, ref byte[] scratch, Action<long, ReadOnlyMemory<byte>> onLine)
    {
        ReadOnlyMemory<byte> bytes;
        if (line.IsSingleSegment) bytes = line.First;
        else
        {
            if (scratch.Length < line.Length)
            {
                ArrayPool<byte>.Shared.Return(scratch);
                scratch = ArrayPool<byte>.Shared.Rent((int)line.Length);
            }
            line.CopyTo(scratch);
            bytes = scratch.AsMemory(0, (int)line.Length);
        }
        if (number == 1 && bytes.Span.StartsWith("\uFEFF"u8)) bytes = bytes[3..];
        var span = bytes.Span;
        var last = span.Length;
        while (last > 0 && span[last - 1] is (byte)'\r' or (byte)' ' or (byte)'\t') last--;
        var first = 0;
        while (first < last && span[first] is (byte)' ' or (byte)'\t') first++;
        if (first == last) return; // a blank line: counted, nothing to read
        onLine(number, bytes[first..last]);
    }
}
