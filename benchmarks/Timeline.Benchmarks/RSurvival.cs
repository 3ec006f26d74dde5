using System.Diagnostics;
using System.Globalization;
using System.Text;
using Timeline.Projections.Analysis;
using Timeline.Projections.Patients;

namespace Timeline.Benchmarks;

/// <summary>
/// The same survival analyses in R (survival's survfit and survdiff): OS mtki vs control with the log-rank test,
/// TTP and PFS, and OS per histology, with the medians, on the same per-patient data, timed inside R (the
/// start of R and the reading of the file are not timed).
/// </summary>
public static class RSurvival
{
    const string Script = """
        args <- commandArgs(trailingOnly = TRUE)
        suppressPackageStartupMessages(library(survival))
        d <- read.csv(args[1], stringsAsFactors = FALSE)
        reps <- as.integer(args[2])
        os <- d[!is.na(d$os_time) & d$grp %in% c("mtki", "control"), ]
        tt <- d[!is.na(d$ttp_time), ]
        run <- function() {
          f <- survfit(Surv(os_time, os_event) ~ grp, data = os, conf.type = "log")
          q <- quantile(f, 0.5)
          if (length(unique(os$grp)) == 2) t <- survdiff(Surv(os_time, os_event) ~ grp, data = os)
          if (nrow(tt) > 0) {
            q2 <- quantile(survfit(Surv(ttp_time, ttp_event) ~ 1, data = tt), 0.5)
            q3 <- quantile(survfit(Surv(pfs_time, pfs_event) ~ 1, data = tt), 0.5)
          }
          for (h in unique(os$histology)) {
            s <- os[os$histology == h, ]
            qh <- quantile(survfit(Surv(os_time, os_event) ~ grp, data = s), 0.5)
            if (length(unique(s$grp)) == 2) th <- survdiff(Surv(os_time, os_event) ~ grp, data = s)
          }
        }
        run()
        times <- sapply(seq_len(reps), function(i) system.time(run())[["elapsed"]])
        cat(sprintf("%.3f %s\n", median(times) * 1000, packageVersion("survival")))
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

    /// <summary>Median milliseconds of <paramref name="repetitions"/> runs in R, and R's description; null when R or survival is missing.</summary>
    public static async Task<(double Ms, string Version)?> TimeAsync(IReadOnlyList<PatientOutcome> outcomes, string workDirectory, int repetitions, CancellationToken ct)
    {
        var rscript = FindRscript();
        if (rscript is null) return null;
        var csv = Path.Combine(workDirectory, "outcomes.csv");
        var script = Path.Combine(workDirectory, "survival-bench.R");
        await File.WriteAllTextAsync(script, Script, ct);
        await using (var file = new StreamWriter(csv, false, new UTF8Encoding(false)))
        {
            await file.WriteLineAsync("histology,grp,os_time,os_event,ttp_time,ttp_event,pfs_time,pfs_event");
            foreach (var o in outcomes)
                await file.WriteLineAsync(string.Join(',', Quote(o.Histology), Quote(o.Group),
                    Time(o.OverallSurvival), Event(o.OverallSurvival), Time(o.TimeToProgression), Event(o.TimeToProgression),
                    Time(o.ProgressionFreeSurvival), Event(o.ProgressionFreeSurvival)));
        }

        var info = new ProcessStartInfo(rscript) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(script);
        info.ArgumentList.Add(csv);
        info.ArgumentList.Add(repetitions.ToString(CultureInfo.InvariantCulture));
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync(ct);
        var errors = await process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            Console.Error.WriteLine($"Rscript failed ({process.ExitCode}): {errors.Trim()}");
            return null;
        }
        var parts = output.Trim().Split(' ');
        return (double.Parse(parts[0], CultureInfo.InvariantCulture), $"R survival {parts[^1]}");
    }

    static string Quote(string? text) => text is null ? "" : $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
    static string Time(SurvivalInterval? i) => i is null ? "" : TimeUnits.FromDays(i.Days, TimeUnit.Months).ToString("R", CultureInfo.InvariantCulture);
    static string Event(SurvivalInterval? i) => i is null ? "" : i.Event ? "1" : "0";
}
