namespace Timeline.Import;

/// <summary>A patient left out of an import: its id (null when no line named one), its line numbers and why.</summary>
public sealed record RefusedPatient(string? PatientId, IReadOnlyList<long> Lines, string Reason);

/// <summary>
/// The outcome of one import. Counts are complete; <see cref="Refused"/> lists the first
/// <see cref="BulkImporter.MaxRefusalsListed"/> refusals, and <see cref="RefusedListTruncated"/> says when more were left off.
/// </summary>
public sealed record ImportAnswer(
    int PatientsImported, int PatientsRefused, long EventsAppended, IReadOnlyList<RefusedPatient> Refused,
    bool RefusedListTruncated, long LinesRead, long ElapsedMs);
