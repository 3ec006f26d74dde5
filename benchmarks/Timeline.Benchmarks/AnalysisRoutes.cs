using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Timeline.Benchmarks;

/// <summary>
/// What an analyst waits for (issue 11): each analysis route over HTTP, warm, one client, p50 and p99, against R on
/// the same per-patient data (from memory, and with read.csv); then four heavy reads at once with the app's memory
/// and /health's latency beside them (issue 16).
/// </summary>
public static class AnalysisRoutes
{
    public static async Task<List<Figure>> MeasureAsync(HttpClient http, string cs, string work, RSurvival.RTimes? r, int repetitions, TextWriter log, CancellationToken ct)
    {
        var figures = new List<Figure>();
        var mid = await MidLogAsync(cs, ct);
        var end = Uri.EscapeDataString(DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        var os = JsonDocument.Parse(await GetTextAsync(http, "api/analyses/overall-survival", ct)).RootElement;
        var curve = os.GetProperty("groups")[0].GetProperty("curve");
        var step = curve[curve.GetArrayLength() / 2].GetProperty("time").GetRawText();
        var midId = await Baselines.Scalar<string>(cs,
            "select patient_id from timeline.analysis_inputs where valid_to is null order by patient_id collate \"C\" offset (select count(*) / 2 from timeline.analysis_inputs where valid_to is null) limit 1", ct);

        (string Name, string Url, double? R, string? RName, double Target)[] routes =
        [
            ("GET /api/analyses/overall-survival", "api/analyses/overall-survival", r?.OverallSurvivalMs, "R survfit + quantile + survdiff (OS), from memory", 300),
            ("GET /api/analyses/cohort", "api/analyses/cohort", null, null, 300),
            ("GET /api/analyses/time-to-progression", "api/analyses/time-to-progression", r?.TimeToProgressionMs, "R survfit + quantile (TTP, PFS), from memory", 300),
            ("GET /api/analyses/response", "api/analyses/response", null, null, 300),
            ("GET /api/analyses/overall-survival?histology=osteosarcoma", "api/analyses/overall-survival?histology=osteosarcoma", null, null, 300),
            ("GET /api/analyses/overall-survival?asOf= end of log", $"api/analyses/overall-survival?asOf={end}", r?.OverallSurvivalMs, "R OS, from memory", 2000),
            ("GET /api/analyses/overall-survival?asOf= middle of log", $"api/analyses/overall-survival?asOf={mid}", r?.OverallSurvivalMs, "R OS, from memory", 2000),
            ("GET /api/patients?limit=100 (first page)", "api/patients?limit=100", null, null, 100),
            ("GET /api/patients?limit=100&after= (a middle page)", $"api/patients?limit=100&after={Uri.EscapeDataString(midId)}", null, null, 100),
            ("GET /api/analyses/overall-survival/patients?group=mtki&time= (explain a step)", $"api/analyses/overall-survival/patients?group=mtki&time={step}", null, null, 300),
        ];
        foreach (var (name, url, rMs, rName, target) in routes)
        {
            var (p50, p99) = await TimeAsync(http, url, repetitions, ct);
            var osTarget = name == "GET /api/analyses/overall-survival";
            figures.Add(new Figure($"{name}, p50", p50, "ms", rMs, rName, $"< {target:N0} ms", p50 < target));
            figures.Add(new Figure($"{name}, p99", p99, "ms", null, null, osTarget ? "< 500 ms" : null, osTarget ? p99 < 500 : null));
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"     {name}: p50 {p50:0.0} ms, p99 {p99:0.0} ms"));
        }
        // Issue 12's comparisons: a Cox fit with concordance over every patient's intervals costs more; fewer repetitions.
        // R fits the same intervals (exported from the app's intervals route) with coxph and survfit.
        var rCox = await RCox.TimeAsync(http, work, Math.Max(3, repetitions / 4), ct);
        if (rCox is { } rc)
        {
            figures.Add(new Figure("R: coxph (Efron, concordance) + Mantel–Byar + Simon–Makuch on the intervals, from memory", rc.FromMemoryMs, "ms", null, null, null, null));
            figures.Add(new Figure("R: the same with read.csv of the intervals", rc.WithReadingMs, "ms", null, null, null, null));
        }
        foreach (var (name, url, isTimeDependent) in new[]
                 {
                     ("GET /api/analyses/overall-survival/time-dependent (Mantel–Byar, Cox, Simon–Makuch)", "api/analyses/overall-survival/time-dependent", true),
                     ("GET /api/analyses/overall-survival/landmark?at=6", "api/analyses/overall-survival/landmark?at=6", false),
                 })
        {
            var (p50, p99) = await TimeAsync(http, url, Math.Max(3, repetitions / 4), ct);
            figures.Add(isTimeDependent && rCox is { } r2
                ? new Figure($"{name}, p50", p50, "ms", r2.FromMemoryMs, "R coxph + survfit on the same intervals, from memory", "faster than R", p50 < r2.FromMemoryMs)
                : new Figure($"{name}, p50", p50, "ms", null, null, null, null));
            figures.Add(new Figure($"{name}, p99", p99, "ms", null, null, null, null));
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"     {name}: p50 {p50:0.0} ms, p99 {p99:0.0} ms"));
        }
        var (listP50, _) = await TimeAsync(http, "api/patients", Math.Max(3, repetitions / 4), ct);
        figures.Add(new Figure("GET /api/patients (every patient, streamed), p50", listP50, "ms", null, null, null, null));
        if (r is not null)
        {
            figures.Add(new Figure("R: every analysis (OS + log-rank, TTP/PFS, OS per histology), from memory", r.AllMs, "ms", null, null, null, null));
            figures.Add(new Figure("R: the same with read.csv of the per-patient CSV", r.AllWithReadingMs, "ms", null, null, null, null));
        }
        return figures;
    }

    /// <summary>Four heavy reads in a loop at once; the app's peak memory and /health's latency meanwhile.</summary>
    /// <param name="readers">One client per heavy read, each a user of its own (the app bounds heavy reads per user).</param>
    public static async Task<List<Figure>> HeavyReadsAsync(IReadOnlyList<HttpClient> readers, HttpClient health, AppServer app, string cs, TimeSpan duration, CancellationToken ct)
    {
        var mid = await MidLogAsync(cs, ct);
        var end = Uri.EscapeDataString(DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        string[] heavy =
        [
            $"api/analyses/overall-survival?asOf={mid}",
            $"api/analyses/overall-survival?asOf={end}",
            "api/patients",
            "api/analyses/cohort/patients",
        ];
        var before = app.Memory().Rss;
        long peak = before, completed = 0, refused = 0;
        var healthMs = new List<double>();
        using var stop = new CancellationTokenSource(duration);
        var running = heavy.Select((url, i) => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await readers[i % readers.Count].GetAsync(new Uri(url, UriKind.Relative), ct);
                await response.Content.LoadIntoBufferAsync(ct);
                if ((int)response.StatusCode == 429)
                {
                    // The app's line for heavy reads was full: it says when to come back.
                    Interlocked.Increment(ref refused);
                    await Task.Delay(TimeSpan.FromSeconds(response.Headers.RetryAfter?.Delta?.TotalSeconds ?? 2), CancellationToken.None);
                    continue;
                }
                if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET {url} answered {(int)response.StatusCode}");
                Interlocked.Increment(ref completed);
            }
        }, CancellationToken.None)).ToList();
        while (!stop.IsCancellationRequested)
        {
            peak = Math.Max(peak, app.Memory().Rss);
            var w = Stopwatch.StartNew();
            await GetTextAsync(health, "health", ct);
            healthMs.Add(w.Elapsed.TotalMilliseconds);
            try { await Task.Delay(50, stop.Token); } catch (OperationCanceledException) { }
        }
        await Task.WhenAll(running);
        peak = Math.Max(peak, app.Memory().Rss);
        healthMs.Sort();
        var h99 = Percentiles.Of(healthMs, 99);
        return
        [
            new Figure("4 heavy reads at once (OS asOf middle and end, the unpaged list, the cohort's explain list): app peak memory",
                peak / 1048576.0, "MiB", before / 1048576.0, "resident before them", "< 1 GiB", peak < 1L << 30,
                string.Create(CultureInfo.InvariantCulture, $"{completed} reads in {duration.TotalSeconds:0} s, {refused} answered 429")),
            new Figure("/health during the 4 heavy reads, p50", Percentiles.Of(healthMs, 50), "ms", null, null, null, null),
            new Figure("/health during the 4 heavy reads, p99", h99, "ms", null, null, "< 100 ms", h99 < 100),
        ];
    }

    /// <summary>The recorded time halfway through the log (by sequence), as an asOf parameter.</summary>
    static async Task<string> MidLogAsync(string cs, CancellationToken ct)
    {
        var mid = await Baselines.Scalar<DateTime>(cs,
            "select timestamp from timeline.mt_events where seq_id >= (select max(seq_id) / 2 from timeline.mt_events) order by seq_id limit 1", ct);
        return Uri.EscapeDataString(new DateTimeOffset(DateTime.SpecifyKind(mid, DateTimeKind.Utc)).ToString("O", CultureInfo.InvariantCulture));
    }

    static async Task<(double P50, double P99)> TimeAsync(HttpClient http, string url, int repetitions, CancellationToken ct)
    {
        for (var i = 0; i < 3; i++) await GetTextAsync(http, url, ct); // warm
        var times = new List<double>(repetitions);
        for (var i = 0; i < repetitions; i++)
        {
            var w = Stopwatch.StartNew();
            await GetTextAsync(http, url, ct);
            times.Add(w.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return (Percentiles.Of(times, 50), Percentiles.Of(times, 99));
    }

    static async Task<string> GetTextAsync(HttpClient http, string url, CancellationToken ct)
    {
        using var response = await http.GetAsync(new Uri(url, UriKind.Relative), ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET {url} answered {(int)response.StatusCode}: {body}");
        return body;
    }
}
