using System.Diagnostics;
using System.Globalization;
using System.Text;
using Timeline.Projections.Analysis;
using Timeline.Projections.Patients;

namespace Timeline.Benchmarks;

/// <summary>
/// The same survival analyses in R (survival's survfit and survdiff): OS mtki vs control with the log-rank test,
/// TTP and PFS, and OS per histology, with the medians, on the same per-patient data, timed inside R (the start
/// of R is not timed): all of them from memory and with the CSV's reading (read.csv), and OS and TTP/PFS alone.
/// </summary>
public static class RSurvival
{
    const string Script = """
        args <- commandArgs(trailingOnly = TRUE)
        suppressPackageStartupMessages(library(survival))
        reps <- as.integer(args[2])
        prep <- function(d) list(os = d[!is.na(d$os_time) & d$grp %in% c("mtki", "control"), ], tt = d[!is.na(d$ttp_time), ])
        run_os <- function(os) {
          f <- survfit(Surv(os_time, os_event) ~ grp, data = os, conf.type = "log")
          q <- quantile(f, 0.5)
          if (length(unique(os$grp)) == 2) t <- survdiff(Surv(os_time, os_event) ~ grp, data = os)
        }
        run_ttp <- function(tt) {
          if (nrow(tt) > 0) {
            q2 <- quantile(survfit(Surv(ttp_time, ttp_event) ~ 1, data = tt), 0.5)
            q3 <- quantile(survfit(Surv(pfs_time, pfs_event) ~ 1, data = tt), 0.5)
          }
        }
        run <- function(p) {
          run_os(p$os)
          run_ttp(p$tt)
          for (h in unique(p$os$histology)) {
            s <- p$os[p$os$histology == h, ]
            qh <- quantile(survfit(Surv(os_time, os_event) ~ grp, data = s), 0.5)
            if (length(unique(s$grp)) == 2) th <- survdiff(Surv(os_time, os_event) ~ grp, data = s)
          }
        }
        p <- prep(read.csv(args[1], stringsAsFactors = FALSE))
        run(p)
        med <- function(f) median(sapply(seq_len(reps), function(i) system.time(f())[["elapsed"]])) * 1000
        cat(sprintf("%.3f %.3f %.3f %.3f %s\n", med(function() run(p)), med(function() run(prep(read.csv(args[1], stringsAsFactors = FALSE)))),
          med(function() run_os(p$os)), med(function() run_ttp(p$tt)), packageVersion("survival")))
        """;

    public static string? FindRscript()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "Rscript");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>R's median milliseconds over <paramref name="repetitions"/> runs of each; null when R or survival is missing.</summary>
    public sealed record RTimes(double AllMs, double AllWithReadingMs, double OverallSurvivalMs, double TimeToProgressionMs, string Version)
    {
        public double Ms => AllMs;
    }

    public static async Task<RTimes?> TimeAsync(IReadOnlyList<PatientOutcome> outcomes, string workDirectory, int repetitions, CancellationToken ct)
    {
        var rscript = FindRscript();
        if (rscript is null) return null;
        var csv = Path.Combine(workDirectory, "outcomes.csv");
        var script = Path.Combine(workDirectory, "survival-bench.R");
        await using (var file = new StreamWriter(csv, false, new UTF8Encoding(false)))
        {
            await file.WriteLineAsync("histology,grp,os_time,os_event,ttp_time,ttp_event,pfs_time,pfs_event");
            foreach (var o in outcomes)
                await file.WriteLineAsync(string.Join(',', Quote(o.Histology), Quote(o.Group),
                    Time(o.OverallSurvival), Event(o.OverallSurvival), Time(o.TimeToProgression), Event(o.TimeToProgression),
                    Time(o.ProgressionFreeSurvival), Event(o.ProgressionFreeSurvival)));
        }

        if (await RunAsync(rscript, Script, script, [csv, repetitions.ToString(CultureInfo.InvariantCulture)], ct) is not { } output) return null;
        var parts = output.Trim().Split(' ');
        double At(int i) => double.Parse(parts[i], CultureInfo.InvariantCulture);
        return new RTimes(At(0), At(1), At(2), At(3), $"R survival {parts[^1]}");
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> and runs it with Rscript; its standard output, or null (said on stderr) when it fails.</summary>
    public static async Task<string?> RunAsync(string rscript, string text, string path, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        await File.WriteAllTextAsync(path, text, ct);
        var info = new ProcessStartInfo(rscript) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(path);
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var errors = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode == 0) return await output;
        Console.Error.WriteLine($"Rscript {Path.GetFileName(path)} failed ({process.ExitCode}): {(await errors).Trim()}");
        return null;
    }

    static string Quote(string? text) => text is null ? "" : $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
    static string Time(SurvivalInterval? i) => i is null ? "" : TimeUnits.FromDays(i.Days, TimeUnit.Months).ToString("R", CultureInfo.InvariantCulture);
    static string Event(SurvivalInterval? i) => i is null ? "" : i.Event ? "1" : "0";
}
