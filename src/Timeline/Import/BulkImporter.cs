using System.Diagnostics;
using System.IO.Pipelines;
using System.Threading.Channels;
using Marten;
using Marten.Exceptions;
using Timeline.Projections.Events;

namespace Timeline.Import;

/// <summary>How an import batches its appends; the defaults are what the benchmark settled on.</summary>
/// <param name="BatchEvents">A batch is written once it holds this many events (whole patients only).</param>
/// <param name="BatchesInFlight">Batches checked and waiting while one is written: reading and writing overlap, memory stays bounded.</param>
public sealed record ImportOptions(int BatchEvents = 5_000, int BatchesInFlight = 2);

/// <summary>
/// Imports whole patient histories from NDJSON (one fact per line, see <see cref="ImportLineReader"/>). Each
/// patient's facts are checked in file order exactly as the recording routes check them (the request record's
/// field checks, then <c>ClinicalRules.CheckRecording</c> against the chart built so far); a patient with any
/// bad line is refused whole and the others are imported. Checked patients are appended in batches: one
/// existence query per batch, then one transaction that starts every new patient's stream with all its events
/// (Rich append: real versions and sequences) and stores its chart (the inline projection).
/// A patient's facts must be contiguous in the file, enrolment first: a later run of lines for a patient
/// already seen is refused on its own (it does not start with an enrolment, or repeats one).
/// Batches commit one by one: an import that is interrupted keeps the batches already committed, and running the
/// same file again imports the rest (the patients already present are refused as existing).
/// </summary>
public sealed class BulkImporter(IDocumentStore store, DateOnly today, string? recordedBy, ImportOptions? options = null)
{
    public const int MaxRefusalsListed = 1_000;

    readonly ImportOptions options = options ?? new ImportOptions();
    readonly Lock gate = new();
    readonly List<RefusedPatient> refused = [];
    int refusedCount;

    public ImportProgress Progress { get; } = new();

    public Task<ImportAnswer> ImportAsync(Stream ndjson, CancellationToken ct) =>
        ImportAsync(PipeReader.Create(ndjson, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true)), ct);

    public async Task<ImportAnswer> ImportAsync(PipeReader ndjson, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var channel = Channel.CreateBounded<List<PatientHistory>>(new BoundedChannelOptions(options.BatchesInFlight)
        {
            SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait,
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var writer = Task.Run(async () =>
        {
            try
            {
                await foreach (var batch in channel.Reader.ReadAllAsync(stop.Token)) await WriteAsync(batch, stop.Token);
            }
            catch
            {
                await stop.CancelAsync(); // the reader must not wait on a channel nobody empties
                throw;
            }
        }, stop.Token);

        var ready = new Queue<List<PatientHistory>>();
        var batch = new List<PatientHistory>();
        var inBatch = new Dictionary<string, long>(StringComparer.Ordinal);
        var batchEvents = 0;
        PatientHistory? current = null;
        long lastLine = 0;

        void Close()
        {
            if (current is null) return;
            var patient = current;
            current = null;
            if (patient.Refusal is not null) { Refuse(patient, patient.Refusal); return; }
            if (inBatch.TryGetValue(patient.PatientId!, out var firstLine))
            {
                Refuse(patient, $"patient {patient.PatientId} is enrolled twice in this file (lines {firstLine} and {patient.FirstLine}).");
                return;
            }
            inBatch[patient.PatientId!] = patient.FirstLine;
            batch.Add(patient);
            batchEvents += patient.Facts.Count;
            if (batchEvents < options.BatchEvents) return;
            ready.Enqueue(batch);
            batch = [];
            inBatch.Clear();
            batchEvents = 0;
        }

        void OnLine(long number, ReadOnlyMemory<byte> bytes)
        {
            lastLine = number;
            var line = ImportLineReader.Read(number, bytes);
            // A line whose patient cannot be read belongs to the run of lines it sits in: that patient is refused.
            if (current is null || (line.PatientId is not null && line.PatientId != current.PatientId))
            {
                Close();
                current = new PatientHistory(line.PatientId);
            }
            current.Add(line, today);
        }

        void OnOverlong(long number)
        {
            lastLine = number;
            current ??= new PatientHistory(null);
            current.Add(new ImportLine(number, current.PatientId, null, null, $"the line is longer than {NdjsonLines.MaxLineBytes} bytes."), today);
        }

        async ValueTask HandOn()
        {
            Progress.SetLines(lastLine);
            while (ready.TryDequeue(out var full))
            {
                if (writer.IsCompleted) await writer; // it can only have failed: its exception ends the import
                await channel.Writer.WriteAsync(full, stop.Token);
            }
        }

        try
        {
            await NdjsonLines.ReadAsync(ndjson, OnLine, OnOverlong, HandOn, stop.Token);
            Close();
            if (batch.Count > 0) ready.Enqueue(batch);
            await HandOn();
            channel.Writer.Complete();
        }
        catch (Exception e)
        {
            channel.Writer.TryComplete(e);
            await stop.CancelAsync();
            await Task.WhenAny(writer);
            // The writer's own failure (a database error) is the one worth reporting, not the cancellation it caused.
            if (writer.Exception?.InnerException is { } cause and not OperationCanceledException)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(cause);
            throw;
        }
        await writer;

        lock (gate)
        {
            return new ImportAnswer((int)Progress.PatientsImported, refusedCount, Progress.EventsAppended, refused.ToList(),
                refusedCount > refused.Count, lastLine, watch.ElapsedMilliseconds);
        }
    }

    async Task WriteAsync(List<PatientHistory> batch, CancellationToken ct)
    {
        var ids = batch.Select(p => p.PatientId!).ToArray();
        await using var session = store.LightweightSession();
        session.LastModifiedBy = recordedBy;
        var existing = (await session.QueryAsync<string>(
            $"select id from {store.Options.Events.DatabaseSchemaName}.mt_streams where id = any(?)", ct, [ids])).ToHashSet(StringComparer.Ordinal);

        var fresh = new List<PatientHistory>(batch.Count);
        foreach (var patient in batch)
        {
            if (existing.Contains(patient.PatientId!)) Refuse(patient, AlreadyExists(patient));
            else
            {
                session.Events.StartStream(patient.PatientId!, patient.Facts.Cast<object>());
                fresh.Add(patient);
            }
        }
        if (fresh.Count == 0) return;
        try
        {
            await session.SaveChangesAsync(ct);
            Progress.Imported(fresh.Count, fresh.Sum(p => (long)p.Facts.Count));
        }
        catch (ExistingStreamIdCollisionException)
        {
            // Someone enrolled one of these ids between the check and the append: one transaction per patient.
            foreach (var patient in fresh) await WriteOneAsync(patient, ct);
        }
    }

    async Task WriteOneAsync(PatientHistory patient, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        session.LastModifiedBy = recordedBy;
        session.Events.StartStream(patient.PatientId!, patient.Facts.Cast<object>());
        try
        {
            await session.SaveChangesAsync(ct);
            Progress.Imported(1, patient.Facts.Count);
        }
        catch (ExistingStreamIdCollisionException)
        {
            Refuse(patient, AlreadyExists(patient));
        }
    }

    static string AlreadyExists(PatientHistory patient) =>
        $"line {patient.FirstLine} (enrolment): a patient with id '{patient.PatientId}' already exists; nothing of it was imported.";

    void Refuse(PatientHistory patient, string reason)
    {
        Progress.Refused();
        lock (gate)
        {
            refusedCount++;
            if (refused.Count < MaxRefusalsListed) refused.Add(new RefusedPatient(patient.PatientId, patient.Lines.ToList(), reason));
        }
    }
}
