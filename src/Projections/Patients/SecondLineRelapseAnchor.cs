using Timeline.Projections.Events;

namespace Timeline.Projections.Patients;

/// <summary>
/// The study's time zero for overall survival: the earliest progression or relapse dated on or after the
/// start of line 2 (DOMAIN.md). Null when there is no line 2 or no such event; the analysis then lists the
/// patient as excluded with that reason.
/// </summary>
public sealed record SecondLineRelapseAnchor(DateOnly Date, string Kind, Guid EventId)
{
    public static SecondLineRelapseAnchor? Of(PatientChart chart)
    {
        var lineTwo = chart.All<TreatmentLineStarted>().FirstOrDefault(l => l.Line == 2);
        if (lineTwo is null) return null;
        return chart.Facts
            .Select(f => f.Fact switch
            {
                ProgressionRecorded p => new SecondLineRelapseAnchor(p.Date, "progression", f.EventId),
                RelapseRecorded r => new SecondLineRelapseAnchor(r.Date, "relapse", f.EventId),
                _ => null,
            })
            .OfType<SecondLineRelapseAnchor>()
            .Where(a => a.Date >= lineTwo.StartDate)
            .OrderBy(a => a.Date)
            .FirstOrDefault();
    }

    /// <summary>The latest clinical date on the chart (any fact but the birth date); null before any.</summary>
    public static DateOnly? LastContact(PatientChart chart) =>
        chart.Facts.Where(f => f.Fact is not PatientEnrolled)
            .Select(f => (DateOnly?)f.Fact.ClinicalDate)
            .Max();
}
