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
/// </summary>
public static class CbioportalTimeline
{
    public const string TreatmentFile = "data_timeline_treatment.txt";
    public const string StatusFile = "data_timeline_status.txt";

    static readonly string[] TreatmentHeader =
        ["PATIENT_ID", "START_DATE", "STOP_DATE", "EVENT_TYPE", "TREATMENT_TYPE", "SUBTYPE", "AGENT", "LINE", "REGIMEN", "STOP_REASON"];

    static readonly string[] StatusHeader = ["PATIENT_ID", "START_DATE", "STOP_DATE", "EVENT_TYPE", "STATUS"];

    public static Task WriteTreatmentsAsync(IDocumentStore store, ExportSource source, Stream output, CancellationToken ct) =>
        CbioportalTables.WriteTableAsync(output, TreatmentHeader, Rows(store, source, TreatmentRows, ct), ct);

    public static Task WriteStatusAsync(IDocumentStore store, ExportSource source, Stream output, CancellationToken ct) =>
        CbioportalTables.WriteTableAsync(output, StatusHeader, Rows(store, source, StatusRows, ct), ct);

    static async IAsyncEnumerable<string?[]> Rows(IDocumentStore store, ExportSource source, Func<PatientChart, DateOnly, IEnumerable<string?[]>> rows,
        [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var chart in ExportCharts.ReadAsync(store, source, ct))
        {
            // A patient without a diagnosis has no day 0 and no timeline.
            if (chart.Find<DiagnosisRecorded>() is not { } diagnosis) continue;
            foreach (var row in rows(chart, diagnosis.Date)) yield return row;
        }
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
