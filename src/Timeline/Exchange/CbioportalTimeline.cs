using System.Globalization;
using System.Runtime.CompilerServices;
using Marten;
using Timeline.Projections.Catalogue;
using Timeline.Projections.Events;
using Timeline.Projections.Patients;

namespace Timeline.Exchange;

/// <summary>
/// The timeline files: START_DATE and STOP_DATE in days from the diagnosis (cBioPortal's day 0), EVENT_TYPE, then the
/// event's own columns. Treatment: one row per agent of each line (STOP_DATE empty while the line goes on). Status:
/// diagnosis, relapses, progressions and death, one day each. Facts as corrected; retracted facts are absent.
/// Both files come from one read of the charts: the treatment file streams while the status rows wait in a temporary
/// file, copied when the status file's turn comes in the zip (a read for each file took twice as long).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification =
    "The spool is disposed once copied, or when writing fails; a cancelled export's is closed, and so deleted, by its finaliser.")]
public sealed class CbioportalTimeline(IDocumentStore store, ExportSource source)
{
    public const string TreatmentFile = "data_timeline_treatment.txt";
    public const string StatusFile = "data_timeline_status.txt";

    static readonly string[] TreatmentHeader =
        ["PATIENT_ID", "START_DATE", "STOP_DATE", "EVENT_TYPE", "TREATMENT_TYPE", "SUBTYPE", "AGENT", "LINE", "REGIMEN", "STOP_REASON"];

    static readonly string[] StatusHeader = ["PATIENT_ID", "START_DATE", "STOP_DATE", "EVENT_TYPE", "STATUS"];

    FileStream? statusSpool;

    /// <summary>Reads the charts, writing the treatment file and spooling the status file's rows.</summary>
    public async Task WriteTreatmentsAsync(Stream output, CancellationToken ct)
    {
        statusSpool = ExportSpool.Create("cbioportal");
        try
        {
            await using var status = CbioportalTables.Writer(statusSpool);
            await status.WriteAsync((string.Join('\t', StatusHeader) + "\n").AsMemory(), ct);
            await CbioportalTables.WriteTableAsync(output, TreatmentHeader, Rows(status, ct), ct);
            await status.FlushAsync(ct);
        }
        catch
        {
            await statusSpool.DisposeAsync();
            throw;
        }
    }

    /// <summary>The status file: the rows spooled by the treatment file's read (or a read of its own if there was none).</summary>
    public async Task WriteStatusAsync(Stream output, CancellationToken ct)
    {
        if (statusSpool is null)
        {
            await CbioportalTables.WriteTableAsync(output, StatusHeader, StatusOnly(ct), ct);
            return;
        }
        await ExportSpool.DrainAsync(statusSpool, output, ct);
    }

    async IAsyncEnumerable<string?[]> Rows(StreamWriter status, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var chart in ExportCharts.ReadAsync(store, source, ct))
        {
            // A patient without a diagnosis has no day 0 and no timeline.
            if (chart.Find<DiagnosisRecorded>() is not { } diagnosis) continue;
            foreach (var row in StatusRows(chart, diagnosis.Date)) await status.WriteAsync(CbioportalTables.TableLine(row).AsMemory(), ct);
            foreach (var row in TreatmentRows(chart, diagnosis.Date)) yield return row;
        }
    }

    async IAsyncEnumerable<string?[]> StatusOnly([EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var chart in ExportCharts.ReadAsync(store, source, ct))
            if (chart.Find<DiagnosisRecorded>() is { } diagnosis)
                foreach (var row in StatusRows(chart, diagnosis.Date)) yield return row;
    }

    static IEnumerable<string?[]> TreatmentRows(PatientChart chart, DateOnly day0)
    {
        var ends = chart.All<TreatmentLineEnded>().ToDictionary(e => e.Line);
        foreach (var line in chart.All<TreatmentLineStarted>().OrderBy(l => l.Line))
        {
            var end = ends.GetValueOrDefault(line.Line);
            foreach (var agent in line.Agents)
                yield return
                [
                    chart.Id, Day(day0, line.StartDate), end is null ? null : Day(day0, end.Date), "TREATMENT", "Medical Therapy",
                    KinaseInhibitors.IsMtki(agent) ? "mTKI" : "Chemotherapy", agent.Trim().ToLowerInvariant(),
                    line.Line.ToString(CultureInfo.InvariantCulture), line.Regimen, end?.Reason.ToString().ToLowerInvariant(),
                ];
        }
    }

    static IEnumerable<string?[]> StatusRows(PatientChart chart, DateOnly day0)
    {
        var facts = chart.Facts.Select(f => f.Fact switch
        {
            DiagnosisRecorded d => (d.Date, 0, "Diagnosis"),
            RelapseRecorded r => (r.Date, 1, "Relapse"),
            ProgressionRecorded p => (p.Date, 2, "Progression"),
            DeathRecorded x => (x.Date, 3, "Death"),
            _ => (default(DateOnly), -1, ""),
        }).Where(f => f.Item2 >= 0).OrderBy(f => f.Item1).ThenBy(f => f.Item2);
        foreach (var (date, _, status) in facts)
            yield return [chart.Id, Day(day0, date), Day(day0, date), "STATUS", status];
    }

    static string Day(DateOnly day0, DateOnly date) => (date.DayNumber - day0.DayNumber).ToString(CultureInfo.InvariantCulture);
}
