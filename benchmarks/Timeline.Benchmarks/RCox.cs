using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Timeline.Benchmarks;

/// <summary>
/// R's side of the time-dependent comparison (issue 12): on exactly the intervals the app's
/// <c>…/time-dependent/intervals</c> route answers, exported as CSV, the Cox fit (Efron, with its concordance), the
/// Mantel–Byar score test (Breslow) and the Simon–Makuch curves, timed inside R from memory and with read.csv.
/// </summary>
public static class RCox
{
    const string Script = """
        args <- commandArgs(trailingOnly = TRUE)
        suppressPackageStartupMessages(library(survival))
        reps <- as.integer(args[2])
        run <- function(d) {
          f <- coxph(Surv(tstart, tstop, death) ~ mtki, data = d)
          s <- summary(f)
          mb <- coxph(Surv(tstart, tstop, death) ~ mtki, data = d, ties = "breslow")$score
          sm <- survfit(Surv(tstart, tstop, death) ~ mtki, data = d)
        }
        d <- read.csv(args[1])
        run(d)
        med <- function(f) median(sapply(seq_len(reps), function(i) system.time(f())[["elapsed"]])) * 1000
        cat(sprintf("%.3f %.3f\n", med(function() run(d)), med(function() run(read.csv(args[1])))))
        """;

    /// <summary>R's median milliseconds (from memory, with read.csv), or null without R.</summary>
    public static async Task<(double FromMemoryMs, double WithReadingMs)?> TimeAsync(HttpClient http, string work, int repetitions, CancellationToken ct)
    {
        var rscript = RSurvival.FindRscript();
        if (rscript is null) return null;
        using var response = await http.GetAsync(new Uri("api/analyses/overall-survival/time-dependent/intervals", UriKind.Relative), ct);
        response.EnsureSuccessStatusCode();
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        var csv = Path.Combine(work, "intervals.csv");
        await using (var file = new StreamWriter(csv, false, new UTF8Encoding(false)))
        {
            await file.WriteLineAsync("tstart,tstop,death,mtki");
            foreach (var row in answer.RootElement.GetProperty("intervals").EnumerateArray())
                await file.WriteLineAsync(string.Join(',', row.GetProperty("tstart").GetRawText(), row.GetProperty("tstop").GetRawText(),
                    row.GetProperty("death").GetRawText(), row.GetProperty("mtki").GetRawText()));
        }
        if (await RSurvival.RunAsync(rscript, Script, Path.Combine(work, "cox-bench.R"),
                [csv, repetitions.ToString(CultureInfo.InvariantCulture)], ct) is not { } output) return null;
        var parts = output.Trim().Split(' ');
        return (double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture));
    }
}
