using System.Diagnostics;
using System.IO.Pipelines;
using System.Threading.Channels;
using Marten;
using Marten.Exceptions;

namespace Timeline.Import;

/// <summary>How a batch of checked patients is written.</summary>
public enum ImportWriter
{
    /// <summary>Binary COPY of streams, events and charts in one transaction (<see cref="EventCopy"/>).</summary>
    Copy,
    /// <summary>Marten's own append: StartStream per patient, one SaveChanges per batch, the inline projection in it.</summary>
    Session,
}

/// <summary>How an import batches its appends; the defaults are what the benchmark settled on.</summary>
/// <param name="BatchEvents">A batch is written once it holds this many events (whole patients only).</param>
/// <param name="BatchesInFlight">Batches checked and waiting while one is written: reading and writing overlap, memory stays bounded.</param>
/// <param name="Writer">How each batch is written.</param>
/// <param name="Writers">Batches written at once, each in its own transaction on its own connection.</param>
public sealed record ImportOptions(int BatchEvents = 5_000, int BatchesInFlight = 2, ImportWriter Writer = ImportWriter.Copy, int Writers = 2);

/// <summary>
/// Imports whole patient histories from NDJSON (one fact per line, see <see cref="ImportLineReader"/>). Each
/// patient's facts are checked in file order exactly as the recording routes check them (the request record's
/// field checks, then <c>ClinicalRules.CheckRecording</c> against the chart built so far); a patient with any
/// bad line is refused whole and the others are imported. Checked patients are appended in batches: one
/// existence query per batch, then one transaction that starts every new patient's stream with all its events
/// (real versions and sequences, as a Rich append gives) and stores its chart (the inline projection's document),
/// by binary COPY (<see cref="EventCopy"/>) or, with <see cref="ImportWriter.Session"/>, by Marten's append.
/// A patient's facts must be contiguous in the file, enrolment first: a later run of lines for a patient
/// already seen is refused on its own (it does not start with an enrolment, or repeats one).
/// Batches commit one by one: an import that is interrupted keeps the batches already committed, and running the
/// same file again imports the rest (the patients already present are refused as existing).
/// One instance serves one import: it holds that import's counters and refusals.
/// </summary>
/// <param name="source">What the lines are read from (a file's name), named with each fact's line in its "source" header.</param>
public sealed class BulkImporter(IDocumentStore store, DateOnly today, string recordedBy, ImportOptions? options = null, string source = "import")
{
    /// <summary>The event header that says where an imported fact was read: "cohort.ndjson line 12".</summary>
    public const string SourceHeader = "source";

    /// <summary>The source header of the fact read from this line.</summary>
    public string SourceOf(long line) => $"{source} line {line}";

    public const int MaxRefusalsListed = 1_000;

    /// <summary>An import that appended at least this many events refreshes the planner's statistics at its end.</summary>
    public const int AnalyzeAfterEvents = 100_000;

    readonly ImportOptions options = options ?? new ImportOptions();
    readonly EventCopy copy = new(store);
    readonly Lock gate = new();
    readonly List<RefusedPatient> refused = [];
    int refusedCount;

    public ImportProgress Progress { get; } = new();

    public Task<ImportAnswer> ImportAsync(Stream ndjson, CancellationToken ct) =>
        ImportAsync(PipeReader.Create(ndjson, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true)), ct);

    public async Task<ImportAnswer> ImportAsync(PipeReader ndjson, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        // Three stages, each on its own thread, joined by bounded channels: reading and parsing lines into
        // patients; checking each patient against the rules; writing checked batches. Memory holds at most a few batches.
        BoundedChannelOptions Bounded(bool singleReader) => new(options.BatchesInFlight)
        {
            SingleReader = singleReader, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait,
        };
        var read = Channel.CreateBounded<List<PatientHistory>>(Bounded(singleReader: true));
        var checkedBatches = Channel.CreateBounded<List<PatientHistory>>(Bounded(singleReader: options.Writers <= 1));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);

        Task Stage(Func<Task> body) => Task.Run(async () =>
        {
            try { await body(); }
            catch
            {
                await stop.CancelAsync(); // no stage may wait on a channel nobody empties
                throw;
            }
        }, stop.Token);

        var checker = Stage(async () =>
        {
            try
            {
                await foreach (var patients in read.Reader.ReadAllAsync(stop.Token))
                    await checkedBatches.Writer.WriteAsync(Check(patients), stop.Token);
                checkedBatches.Writer.Complete();
            }
            catch (Exception e)
            {
                checkedBatches.Writer.TryComplete(e);
                throw;
            }
        });
        // Several writers: while one waits on its COPY, the next batch is being encoded and sent on another
        // connection (one writer left both the app and PostgreSQL a third idle). A patient listed twice in the file is
        // refused when checked (see seen); one enrolled meanwhile by someone else makes a COPY meet its stream, which
        // falls back to appending patient by patient and refuses it as existing.
        var writer = Task.WhenAll(Enumerable.Range(0, Math.Max(1, options.Writers)).Select(_ => Stage(async () =>
        {
            await foreach (var batch in checkedBatches.Reader.ReadAllAsync(stop.Token))
                if (batch.Count > 0) await WriteAsync(batch, stop.Token);
        })));

        var ready = new Queue<List<PatientHistory>>();
        var batch = new List<PatientHistory>();
        var batchLines = 0;
        PatientHistory? current = null;
        long lastLine = 0;

        void Close()
        {
            if (current is null) return;
            batch.Add(current);
            batchLines += current.Collected;
            current = null;
            if (batchLines < options.BatchEvents) return;
            ready.Enqueue(batch);
            batch = [];
            batchLines = 0;
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
            current.Collect(line);
        }

        void OnOverlong(long number)
        {
            lastLine = number;
            current ??= new PatientHistory(null);
            current.Collect(new ImportLine(number, current.PatientId, null, null, $"the line is longer than {NdjsonLines.MaxLineBytes} bytes."));
        }

        async ValueTask HandOn()
        {
            Progress.SetLines(lastLine);
            while (ready.TryDequeue(out var full))
            {
                if (checker.IsCompleted) await checker; // it can only have failed: its exception ends the import
                if (writer.IsCompleted) await writer;
                await read.Writer.WriteAsync(full, stop.Token);
            }
        }

        try
        {
            await NdjsonLines.ReadAsync(ndjson, OnLine, OnOverlong, HandOn, stop.Token);
            Close();
            if (batch.Count > 0) ready.Enqueue(batch);
            await HandOn();
            read.Writer.Complete();
        }
        catch (Exception e)
        {
            read.Writer.TryComplete(e);
            await stop.CancelAsync();
            await Task.WhenAny(Task.WhenAll(checker, writer));
            // A stage's own failure (a database error) is the one worth reporting, not the cancellation it caused.
            foreach (var stage in new[] { writer, checker })
                if (stage.Exception?.InnerException is { } cause and not OperationCanceledException and not ChannelClosedException)
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(cause);
            throw;
        }
        await checker;
        await writer;
        if (Progress.EventsAppended >= AnalyzeAfterEvents) await copy.AnalyzeAsync(ct);

        lock (gate)
        {
            return new ImportAnswer((int)Progress.PatientsImported, refusedCount, Progress.EventsAppended, refused.ToList(),
                refusedCount > refused.Count, lastLine, watch.ElapsedMilliseconds);
        }
    }

    // Every patient id of the file so far, with its enrolment line: a repeat is refused when checked, whichever batch
    // it falls in, so the first copy in the file is the one imported. (Left to the writers, two copies in batches
    // written at once raced, and the later line could win.) About 60 bytes a patient; read by the one checking stage.
    readonly Dictionary<string, long> seen = new(StringComparer.Ordinal);

    /// <summary>Checks each patient of a batch against the rules; returns those to write, refusing the others.</summary>
    List<PatientHistory> Check(List<PatientHistory> patients)
    {
        var good = new List<PatientHistory>(patients.Count);
        foreach (var patient in patients)
        {
            patient.CheckCollected(today);
            if (patient.Refusal is not null) Refuse(patient, patient.Refusal);
            else if (seen.TryGetValue(patient.PatientId!, out var firstLine))
                Refuse(patient, $"line {patient.FirstLine} (enrolment): patient {patient.PatientId} is already enrolled at line {firstLine} of this file.");
            else
            {
                seen[patient.PatientId!] = patient.FirstLine;
                good.Add(patient);
            }
        }
        return good;
    }

    async Task WriteAsync(List<PatientHistory> batch, CancellationToken ct)
    {
        var existing = await copy.ExistingAsync(batch.Select(p => p.PatientId!).ToList(), ct);
        var fresh = new List<PatientHistory>(batch.Count);
        foreach (var patient in batch)
        {
            if (existing.Contains(patient.PatientId!)) Refuse(patient, AlreadyExists(patient));
            else fresh.Add(patient);
        }
        if (fresh.Count == 0) return;

        if (options.Writer == ImportWriter.Copy)
        {
            if (await copy.TryWriteAsync(fresh, recordedBy, SourceOf, ct)) Progress.Imported(fresh.Count, fresh.Sum(p => (long)p.Facts.Count));
            // Someone enrolled one of these ids between the check and the copy: one transaction per patient.
            else foreach (var patient in fresh) await WriteOneAsync(patient, ct);
            return;
        }

        await using var session = store.LightweightSession();
        session.LastModifiedBy = recordedBy;
        foreach (var patient in fresh) Start(session, patient);
        try
        {
            await session.SaveChangesAsync(ct);
            Progress.Imported(fresh.Count, fresh.Sum(p => (long)p.Facts.Count));
        }
        catch (ExistingStreamIdCollisionException)
        {
            foreach (var patient in fresh) await WriteOneAsync(patient, ct);
        }
    }

    void Start(IDocumentSession session, PatientHistory patient)
    {
        var action = session.Events.StartStream(patient.PatientId!, patient.Facts.Cast<object>());
        for (var i = 0; i < action.Events.Count; i++) action.Events[i].SetHeader(SourceHeader, SourceOf(patient.Lines[i]));
    }

    async Task WriteOneAsync(PatientHistory patient, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        session.LastModifiedBy = recordedBy;
        Start(session, patient);
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
