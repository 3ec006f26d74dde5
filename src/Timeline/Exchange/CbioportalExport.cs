using Marten;
using Wolverine.Http;
using static Timeline.Exchange.CbioportalTables;

namespace Timeline.Exchange;

/// <summary>A cBioPortal study folder (clinical patient and sample files, treatment and status timelines, their meta files), zipped.</summary>
public static class CbioportalExport
{
    [WolverineGet("/api/exports/cbioportal", OperationId = "ExportCbioportal")]
    public static async Task<IResult> Get(string? histology, string? asOf, IDocumentStore store, TimeProvider clock, CancellationToken ct)
    {
        var package = await PackageAsync(histology, asOf, store, clock, ct);
        return package.Problem ?? new ZipExportResult(package.Package!, $"{StudyId}.zip", clock);
    }

    public static async Task<(ExportPackage? Package, IResult? Problem)> PackageAsync(string? histology, string? asOf,
        IDocumentStore store, TimeProvider clock, CancellationToken ct)
    {
        var query = ExportQuery.Parse(histology, asOf, out var problem);
        if (query is null) return (null, problem);
        return (Build(store, await ExportSource.LoadAsync(store, query, clock, ct)), null);
    }

    public static ExportPackage Build(IDocumentStore store, ExportSource source)
    {
        var folder = StudyId + "/";
        var timeline = new CbioportalTimeline(store, source);
        ExportFile Meta(string name, (string, string)[] pairs) => new(folder + name, (s, ct) => WriteMetaAsync(s, pairs, ct));
        return new ExportPackage("cbioportal", null, source,
        [
            Meta("meta_study.txt", StudyMeta(source)),
            Meta("meta_clinical_patient.txt", ClinicalMeta("PATIENT_ATTRIBUTES", CbioportalClinical.PatientFile)),
            new(folder + CbioportalClinical.PatientFile, (s, ct) => CbioportalClinical.WritePatientsAsync(source, s, ct)),
            Meta("meta_clinical_sample.txt", ClinicalMeta("SAMPLE_ATTRIBUTES", CbioportalClinical.SampleFile)),
            new(folder + CbioportalClinical.SampleFile, (s, ct) => CbioportalClinical.WriteSamplesAsync(source, s, ct)),
            Meta("meta_timeline_treatment.txt", ClinicalMeta("TIMELINE", CbioportalTimeline.TreatmentFile)),
            new(folder + CbioportalTimeline.TreatmentFile, (s, ct) => timeline.WriteTreatmentsAsync(s, ct)),
            Meta("meta_timeline_status.txt", ClinicalMeta("TIMELINE", CbioportalTimeline.StatusFile)),
            new(folder + CbioportalTimeline.StatusFile, (s, ct) => timeline.WriteStatusAsync(s, ct)),
        ]);
    }

    static (string, string)[] StudyMeta(ExportSource source)
    {
        var scope = source.Query.HistologyCode is { } code ? $" Histology {code} only." : "";
        return
        [
            ("type_of_cancer", "mixed"),
            ("cancer_study_identifier", StudyId),
            ("name", "Paediatric bone and soft-tissue sarcoma, mTKI after relapse (timeline export)"),
            ("description", "Treatment timelines and outcomes exported from the sarcoma treatment timeline; the data as recorded up to "
                + source.CreatedFrom.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)
                + $" (event sequence {source.Snapshot.Basis.LastSequence}).{scope}"),
            ("add_global_case_list", "true"),
        ];
    }
}
