using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using JasperFx.Events.Daemon;
using Marten;
using Timeline.Analyses;
using Timeline.Import;
using Timeline.LocalDatabase;
using Timeline.Projections;
using Timeline.Projections.Patients;
using Timeline.Projections.ReadModels;

namespace Timeline.Benchmarks;

/// <param name="Patients">SYNTHETIC patients to import (about twelve events each).</param>
/// <param name="Seed">The generator's seed.</param>
/// <param name="ConnectionString">An existing PostgreSQL to use; null starts a private one in a temporary folder.</param>
/// <param name="ResultsPath">Where results.json goes; null for benchmarks/results.json in the repository.</param>
/// <param name="Clients">Concurrent HTTP clients (and INSERT connections) for the append figure.</param>
/// <param name="AppendSeconds">How long appends (and the INSERT baseline) run.</param>
/// <param name="Replays">Timed point-in-time timeline requests.</param>
/// <param name="CompareWriters">Also import a tenth of the cohort in-process with each writer (COPY and Marten's append).</param>
/// <param name="RRepetitions">Timed repetitions of the analyses, here and in R (median reported).</param>
/// <param name="AppEnvironment">Extra environment variables for the app's process (runtime settings to compare).</param>
public sealed record BenchmarkOptions(
    int Patients = 100_000, int Seed = 42, string? ConnectionString = null, string? ResultsPath = null,
    int Clients = 8, double AppendSeconds = 20, int Replays = 2_000, bool CompareWriters = true, int RRepetitions = 5,
    IReadOnlyDictionary<string, string>? AppEnvironment = null, int RouteRepetitions = 20, double HeavySeconds = 15);

/// <summary>
/// One run of every figure of issue 6 against one PostgreSQL, each beside its baseline measured in the same run:
/// import, HTTP appends, projection rebuild, analyses (and R), point-in-time replay, the app's memory.
/// </summary>
public static class BenchmarkRun
{
    static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static async Task<BenchmarkResults> RunAsync(BenchmarkOptions o, TextWriter log, CancellationToken ct)
    {
        var work = Directory.CreateTempSubdirectory("timeline-bench-").FullName;
        LocalPostgres? database = null;
        try
        {
            string connectionString;
            string prefix;
            if (o.ConnectionString is { } given)
            {
                connectionString = given;
                prefix = $"SYN-B{DateTime.UtcNow:yyMMddHHmmss}-"; // a store already in use: ids of this run only
            }
            else
            {
                log.WriteLine($"Starting a private PostgreSQL in {work}…");
                database = await LocalPostgres.StartAsync(Path.Combine(work, "db"), cancellationToken: ct);
                connectionString = database.ConnectionString;
                prefix = SyntheticCohort.DefaultPrefix;
            }
            return await MeasureAsync(o, connectionString, prefix, work, log, ct);
        }
        finally
        {
            if (database is not null) await database.DisposeAsync();
            try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    static async Task<BenchmarkResults> MeasureAsync(BenchmarkOptions o, string cs, string prefix, string work, TextWriter log, CancellationToken ct)
    {
        var figures = new List<Figure>();
        string? rVersion = null;
        void Add(Figure f)
        {
            figures.Add(f);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {f.Name}: {f.Value:0.##} {f.Unit}{(f.Baseline is { } b ? $" (baseline {b:0.##}, ratio {f.Ratio:0.00})" : "")}{(f.Met is { } m ? m ? " — target met" : " — target NOT met" : "")}"));
        }

        // The cohort.
        var file = Path.Combine(work, "cohort.ndjson");
        var cohort = new SyntheticCohort(o.Seed, prefix);
        await using (var output = File.Create(file)) await cohort.WriteAsync(output, o.Patients, ct);
        log.WriteLine($"Generated {o.Patients:N0} SYNTHETIC patients, {cohort.Facts:N0} facts ({new FileInfo(file).Length / 1048576.0:0.0} MiB).");

        log.WriteLine("Starting the app (the built Timeline.dll) on a loopback port…");
        await using var app = await AppServer.StartAsync(cs, o.AppEnvironment, ct);
        // A recorder (import, appends, timelines) of its own, through the app's command line.
        var token = await AppServer.IssueTokenAsync(cs, $"bench-{DateTime.UtcNow:yyMMddHHmmss}", "recorder", ct);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 })
        {
            BaseAddress = app.BaseAddress, Timeout = Timeout.InfiniteTimeSpan,
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        // 1 and 6. Import over HTTP, with the app's memory sampled; against a raw COPY of the same rows.
        log.WriteLine("1. Import through POST /api/import…");
        long peakRss = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peakRss = Math.Max(peakRss, app.Memory().Rss);
                try { await Task.Delay(50, sampling.Token); } catch (OperationCanceledException) { }
            }
        }, CancellationToken.None);
        var watch = Stopwatch.StartNew();
        var answer = await ImportAsync(http, File.OpenRead(file), ct);
        var importSeconds = watch.Elapsed.TotalSeconds;
        await sampling.CancelAsync();
        await sampler;
        peakRss = Math.Max(peakRss, app.Memory().Rss);
        if (answer.PatientsRefused > 0 || answer.PatientsImported != o.Patients)
            throw new InvalidOperationException($"The import refused {answer.PatientsRefused} patients: {(answer.Refused.Count > 0 ? answer.Refused[0].Reason : "")}");

        await Baselines.CreateAsync(cs, "timeline", ct);
        var (copyRows, copySeconds) = await Baselines.CopyEventsAsync(cs, "timeline", ct);
        var (otherRows, otherSeconds) = await Baselines.CopyStreamsAndChartsAsync(cs, "timeline", ct);
        var importRate = answer.EventsAppended / importSeconds;
        var copyRate = copyRows / copySeconds;
        // Every row an import writes (events, streams, charts) by COPY alone: what PostgreSQL needs for this data.
        var allRowsRate = copyRows / (copySeconds + otherSeconds);
        Add(new Figure("import (POST /api/import, NDJSON checked and written)", importRate, "events/s", copyRate,
            "binary COPY of the event rows into a table of mt_events' shape", "≥ 30% of COPY", importRate >= 0.3 * copyRate,
            string.Create(CultureInfo.InvariantCulture, $"{answer.PatientsImported / importSeconds:N0} patients/s, {importSeconds:0.0} s")));
        Add(new Figure("import, against COPY of every row it writes", importRate, "events/s", allRowsRate,
            $"binary COPY of the events, {otherRows:N0} stream rows and chart documents, per event", null, null));

        if (o.CompareWriters)
        {
            log.WriteLine("   the two writers in-process, on a tenth of the cohort each…");
            var share = Math.Max(100, o.Patients / 10);
            await using var store = OpenStore(cs);
            foreach (var (writer, tag) in new[] { (ImportWriter.Copy, "SYNC-"), (ImportWriter.Session, "SYNS-") })
            {
                var part = Path.Combine(work, $"{tag}ndjson");
                await using (var output = File.Create(part)) await new SyntheticCohort(o.Seed + 1, tag + prefix).WriteAsync(output, share, ct);
                var importer = new BulkImporter(store, DateOnly.FromDateTime(DateTime.UtcNow.AddHours(14)), "bench", new ImportOptions(Writer: writer));
                var w = Stopwatch.StartNew();
                await using var stream = File.OpenRead(part);
                var a = await importer.ImportAsync(stream, ct);
                Add(new Figure($"import in-process, {(writer == ImportWriter.Copy ? "binary COPY writer" : "Marten append writer (StartStream, Rich)")}",
                    a.EventsAppended / w.Elapsed.TotalSeconds, "events/s", copyRate, "binary COPY", null, null, $"{share:N0} patients, no HTTP"));
            }
        }

        // 2. Single-fact appends over HTTP from N clients, against single-row INSERT transactions from N connections.
        log.WriteLine($"2. Appends: {o.Clients} HTTP clients for {o.AppendSeconds} s, then {o.Clients} INSERT connections…");
        var perClient = 250;
        var appendIds = await EnrolForAppendsAsync(http, prefix, o.Clients, perClient, ct);
        await AppendsAsync(http, appendIds, TimeSpan.FromSeconds(Math.Min(3, o.AppendSeconds / 4)), ct); // warm-up
        QuietClient();
        var (appends, appendSeconds, appendLatencies, failures) = await AppendsAsync(http, appendIds, TimeSpan.FromSeconds(o.AppendSeconds), ct);
        var (inserts, insertSeconds, insertLatencies) = await Baselines.SingleRowInsertsAsync(cs, o.Clients, TimeSpan.FromSeconds(o.AppendSeconds), ct);
        var appendRate = appends / appendSeconds;
        var insertRate = inserts / insertSeconds;
        var p99 = Percentiles.Of(appendLatencies, 99);
        Add(new Figure($"HTTP appends, {o.Clients} loopback clients (POST follow-ups)", appendRate, "appends/s", insertRate,
            $"single-row INSERT transactions, {o.Clients} connections", "≥ 40% of INSERT", appendRate >= 0.4 * insertRate,
            failures > 0 ? $"{failures} failed" : null));
        Add(new Figure("append latency p50", Percentiles.Of(appendLatencies, 50), "ms", Percentiles.Of(insertLatencies, 50), "INSERT p50", null, null));
        Add(new Figure("append latency p99", p99, "ms", Percentiles.Of(insertLatencies, 99), "INSERT p99", "< 25 ms", p99 < 25));

        // 3. Rebuild every projection from the event log.
        log.WriteLine("3. Rebuilding the projections from the event log…");
        // In a method of its own, so the 100,000 charts it loads are garbage once it returns.
        var (rebuildFigures, analysesFigure, r) = await RebuildAndAnalyseAsync(o, cs, prefix, work, log, ct);
        foreach (var f in rebuildFigures) Add(f);
        Add(analysesFigure);
        rVersion = r?.Version;

        // 4b. What an analyst waits for: every analysis route over HTTP, warm, against R on the same data.
        log.WriteLine("4b. Analysis routes over HTTP…");
        var analystToken = await AppServer.IssueTokenAsync(cs, $"bench-analyst-{DateTime.UtcNow:yyMMddHHmmss}", "analyst,auditor", ct);
        using (var analyst = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 16 }) { BaseAddress = app.BaseAddress, Timeout = Timeout.InfiniteTimeSpan })
        {
            analyst.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", analystToken);
            QuietClient();
            foreach (var f in await AnalysisRoutes.MeasureAsync(analyst, cs, work, r, o.RouteRepetitions, log, ct)) Add(f);
            // 4c. Heavy reads at once: the app's memory and /health while they run.
            log.WriteLine("4c. Four heavy reads at once…");
            var readers = new List<HttpClient>();
            for (var i = 0; i < 4; i++)
            {
                var reader = new HttpClient { BaseAddress = app.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
                reader.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
                    await AppServer.IssueTokenAsync(cs, $"bench-reader{i}-{DateTime.UtcNow:yyMMddHHmmss}", "analyst,recorder", ct));
                readers.Add(reader);
            }
            foreach (var f in await AnalysisRoutes.HeavyReadsAsync(readers, http, app, cs, TimeSpan.FromSeconds(o.HeavySeconds), ct)) Add(f);
            foreach (var reader in readers) reader.Dispose();

            // 7. The exports an analyst downloads, each whole.
            log.WriteLine("7. Exports over HTTP…");
            QuietClient();
            foreach (var f in await ExportRoutes.MeasureAsync(analyst, app, cs, "timeline", log, ct)) Add(f);
        }

        // 5. Point-in-time replay of one patient.
        log.WriteLine("5. Point-in-time replays…");
        var asOf = Uri.EscapeDataString(DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        var random = new Random(o.Seed);
        string Pick() => $"{prefix}{(1 + random.Next(o.Patients)).ToString("D6", CultureInfo.InvariantCulture)}";
        for (var i = 0; i < Math.Min(500, o.Replays); i++) await GetAsync(http, $"api/patients/{Pick()}/timeline?asOf={asOf}", ct);
        // The analyses above left this (client) process with a large heap: collect it now, so its pauses are not timed as the app's.
        QuietClient();
        var replays = new List<double>(o.Replays);
        for (var i = 0; i < o.Replays; i++)
        {
            var w = Stopwatch.StartNew();
            await GetAsync(http, $"api/patients/{Pick()}/timeline?asOf={asOf}", ct);
            replays.Add(w.Elapsed.TotalMilliseconds);
        }
        replays.Sort();
        var replayP99 = Percentiles.Of(replays, 99);
        Add(new Figure("timeline replay ?asOf= p50", Percentiles.Of(replays, 50), "ms", null, null, null, null));
        Add(new Figure("timeline replay ?asOf= p99", replayP99, "ms", null, null, "< 10 ms", replayP99 < 10));

        // 6. The app's memory while importing.
        Add(new Figure("app peak resident memory during the import", peakRss / 1048576.0, "MiB", null, null, "< 1 GiB", peakRss < 1L << 30));

        await Baselines.DropAsync(cs, ct);
        var machine = await MachineAsync(cs, rVersion, ct);
        var totalEvents = answer.EventsAppended;
        return new BenchmarkResults(machine, o.Patients, totalEvents, o.Seed, figures);
    }

    static async Task<(List<Figure> Rebuild, Figure Analyses, RSurvival.RTimes? R)> RebuildAndAnalyseAsync(
        BenchmarkOptions o, string cs, string prefix, string work, TextWriter log, CancellationToken ct)
    {
        var watch = new Stopwatch();
        await using (var store = OpenStore(cs))
        {
            var events = await Baselines.Scalar<long>(cs, "select count(*) from timeline.mt_events", ct);
            watch.Restart();
            await TimelineStore.RebuildChartsAsync(cs, ct);
            var rebuild = events / watch.Elapsed.TotalSeconds;
            var rebuildFigure = new Figure("projection rebuild (daemon, PatientChart)", rebuild, "events/s", null, null, "≥ 20,000 events/s", rebuild >= 20_000,
                string.Create(CultureInfo.InvariantCulture, $"{events:N0} events, {watch.Elapsed.TotalSeconds:0.0} s"));
            watch.Restart();
            var states = await AnalysisInputsRebuild.RebuildAsync(store, null, ct);
            var inputs = events / watch.Elapsed.TotalSeconds;
            var inputsFigure = new Figure("analyses' read model rebuild (regenerate, from the log)", inputs, "events/s", null, null, null, null,
                string.Create(CultureInfo.InvariantCulture, $"{states:N0} patient states, {watch.Elapsed.TotalSeconds:0.0} s"));

            // 4. Every analysis over the cohort, against R's survfit + survdiff on the same data.
            log.WriteLine("4. Analyses…");
            watch.Restart();
            var snapshot = await CohortSnapshot.LoadAsync(store, null, null, TimeProvider.System, ct);
            var loadMs = watch.Elapsed.TotalMilliseconds;
            var outcomes = snapshot.Outcomes.Where(x => x.PatientId.StartsWith(prefix, StringComparison.Ordinal)).ToList();
            RunFigures.Compute(outcomes); // warm-up
            var computeMs = Enumerable.Range(0, o.RRepetitions).Select(_ =>
            {
                var w = Stopwatch.StartNew();
                RunFigures.Compute(outcomes);
                return w.Elapsed.TotalMilliseconds;
            }).Order().ToList();
            var ours = computeMs[computeMs.Count / 2];
            var r = await RSurvival.TimeAsync(outcomes, work, o.RRepetitions, ct);
            var analysesFigure = new Figure($"all analyses over {outcomes.Count:N0} patients (cohort, response, TTP/PFS, OS + log-rank, OS per histology)",
                ours, "ms", r?.Ms, r is null ? "R not installed: skipped" : "R survfit + survdiff, same data", "< 500 ms and faster than R",
                r is null ? ours < 500 ? null : false : ours < 500 && ours < r.Ms,
                string.Create(CultureInfo.InvariantCulture, $"reading the {snapshot.Outcomes.Count:N0} patients' rows of the read model took {loadMs:N0} ms more (in-process)"));
            return ([rebuildFigure, inputsFigure], analysesFigure, r);
        }
    }

    static void QuietClient()
    {
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
    }

    static DocumentStore OpenStore(string cs) => DocumentStore.For(opts => opts.ConfigureTimeline(cs));

    static async Task<ImportAnswer> ImportAsync(HttpClient http, Stream ndjson, CancellationToken ct)
    {
        await using (ndjson)
        {
            using var content = new StreamContent(ndjson, 64 * 1024);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
            using var response = await http.PostAsync(new Uri("api/import", UriKind.Relative), content, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST /api/import answered {(int)response.StatusCode}: {body}");
            return JsonSerializer.Deserialize<ImportAnswer>(body, Web)!;
        }
    }

    /// <summary>Patients for the append figure (enrolled and diagnosed, through the import), <paramref name="perClient"/> per client.</summary>
    static async Task<string[][]> EnrolForAppendsAsync(HttpClient http, string prefix, int clients, int perClient, CancellationToken ct)
    {
        var ids = Enumerable.Range(0, clients)
            .Select(c => Enumerable.Range(0, perClient).Select(i => string.Create(CultureInfo.InvariantCulture, $"SYNA-{prefix}{c}-{i}")).ToArray()).ToArray();
        var text = new StringBuilder();
        foreach (var id in ids.SelectMany(x => x))
        {
            text.Append(CultureInfo.InvariantCulture, $$$"""{"patientId":"{{{id}}}","type":"enrolment","synthetic":true,"body":{"birthDate":"2004-05-06","sex":"female"}}""").Append('\n');
            text.Append(CultureInfo.InvariantCulture, $$$"""{"patientId":"{{{id}}}","type":"diagnosis","synthetic":true,"body":{"date":"2018-02-03","histology":"osteosarcoma"}}""").Append('\n');
        }
        var answer = await ImportAsync(http, new MemoryStream(Encoding.UTF8.GetBytes(text.ToString())), ct);
        if (answer.PatientsImported != clients * perClient) throw new InvalidOperationException("The append patients were not all enrolled.");
        return ids;
    }

    static async Task<(long Appends, double Seconds, List<double> LatenciesMs, long Failures)> AppendsAsync(
        HttpClient http, string[][] ids, TimeSpan duration, CancellationToken ct)
    {
        var latencies = new List<double>[ids.Length];
        long failures = 0;
        // The body as bytes once: the load generator shares the two cores with the app and PostgreSQL, so it
        // should spend them on sending, not on serialising the same anonymous object again.
        var body = """{"date":"2020-01-01"}"""u8.ToArray();
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(ids.Select(async (mine, client) =>
        {
            var list = latencies[client] = new List<double>(50_000);
            var one = new Stopwatch();
            for (var i = 0; watch.Elapsed < duration; i++)
            {
                var id = mine[i % mine.Length];
                one.Restart();
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await http.PostAsync(new Uri($"api/patients/{id}/follow-ups", UriKind.Relative), content, ct);
                await response.Content.LoadIntoBufferAsync(ct);
                list.Add(one.Elapsed.TotalMilliseconds);
                if (!response.IsSuccessStatusCode) Interlocked.Increment(ref failures);
            }
        }));
        var seconds = watch.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToList();
        return (all.Count - failures, seconds, all, failures);
    }

    static async Task GetAsync(HttpClient http, string url, CancellationToken ct)
    {
        using var response = await http.GetAsync(new Uri(url, UriKind.Relative), ct);
        await response.Content.LoadIntoBufferAsync(ct);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET {url} answered {(int)response.StatusCode}");
    }

    static async Task<MachineInfo> MachineAsync(string cs, string? r, CancellationToken ct)
    {
        var cpu = "unknown CPU";
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
        }
        catch (IOException) { }
        var postgres = await Baselines.Scalar<string>(cs, "show server_version", ct);
        return new MachineInfo(DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture), Environment.ProcessorCount, cpu,
            RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription.Replace(".NET ", "", StringComparison.Ordinal),
            postgres.Split(' ')[0], r);
    }
}
