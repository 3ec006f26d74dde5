using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;

namespace Timeline.Exchange;

/// <summary>One file of an export, written straight to its destination (a zip entry or a file).</summary>
public sealed record ExportFile(string Name, Func<Stream, CancellationToken, Task> WriteAsync);

/// <summary>What one file turned out to be: its size and SHA-256 (lower-case hex), for the manifest.</summary>
public sealed record WrittenFile(string Name, long Bytes, string Sha256);

/// <summary>
/// An export: its data files, in a fixed order, and <c>manifest.json</c> written last with the parameters, the basis,
/// the times and the SHA-256 of every data file. Only the manifest carries the actual creation time; the data files
/// depend on the parameters and the events alone.
/// </summary>
public sealed record ExportPackage(string Kind, string? Format, ExportSource Source, IReadOnlyList<ExportFile> Files)
{
    public const string ManifestName = "manifest.json";

    /// <summary>The version of this software, as its assembly states it.</summary>
    public static string SoftwareVersion { get; } =
        typeof(ExportPackage).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(ExportPackage).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>Writes every data file through <paramref name="open"/> (which gives the destination of a name), then the manifest.</summary>
    public async Task WriteAsync(Func<string, CancellationToken, Task<Stream>> open, TimeProvider clock, CancellationToken ct,
        Action<string>? progress = null)
    {
        var written = new List<WrittenFile>();
        foreach (var file in Files)
        {
            progress?.Invoke(file.Name);
            await using var destination = await open(file.Name, ct);
            await using var hashing = new HashingStream(destination);
            await file.WriteAsync(hashing, ct);
            await hashing.FlushAsync(ct);
            written.Add(new WrittenFile(file.Name, hashing.Length, hashing.Hash()));
        }
        progress?.Invoke(ManifestName);
        await using var manifest = await open(ManifestName, ct);
        await JsonSerializer.SerializeAsync(manifest, Manifest(written, clock.GetUtcNow()), ManifestJson, ct);
    }

    static readonly JsonSerializerOptions ManifestJson = new(JsonSerializerOptions.Web) { WriteIndented = true };

    object Manifest(IReadOnlyList<WrittenFile> files, DateTimeOffset createdAt) => new
    {
        export = Kind,
        format = Format,
        parameters = new { histology = Source.Query.Histology, histologyCode = Source.Query.HistologyCode, asOf = Source.Query.AsOf },
        basis = new { lastSequence = Source.Snapshot.Basis.LastSequence, asOf = Source.Query.AsOf },
        createdFrom = Source.CreatedFrom,
        createdAt,
        software = new { name = "Timeline", version = SoftwareVersion },
        patients = Source.Outcomes.Count,
        files = files.Select(f => new { name = f.Name, bytes = f.Bytes, sha256 = f.Sha256 }),
    };
}

/// <summary>A write-only pass-through that counts and hashes what goes through it.</summary>
sealed class HashingStream(Stream inner) : Stream
{
    readonly IncrementalHash sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    long length;

    public string Hash() => Convert.ToHexStringLower(sha.GetCurrentHash());

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => length;
    public override long Position { get => length; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        sha.AppendData(buffer);
        length += buffer.Length;
        inner.Write(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        sha.AppendData(buffer.Span);
        length += buffer.Length;
        return inner.WriteAsync(buffer, cancellationToken);
    }

    public override void Flush() => inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) sha.Dispose();
        base.Dispose(disposing);
    }
}
