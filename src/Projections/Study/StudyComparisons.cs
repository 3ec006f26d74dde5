using Timeline.Projections.Analysis;
using Timeline.Projections.Patients;

namespace Timeline.Projections.Study;

/// <summary>
/// OS after the second-line relapse anchor, mtki against control, without the immortal-time bias of the
/// naive comparison: time-dependent exposure (Mantel–Byar test, Simon–Makuch curves, Cox) and landmarks
/// (DOMAIN.md, "Comparisons"; Mantel &amp; Byar, JASA 1974; 69:81–86; Simon &amp; Makuch, Stat Med 1984;
/// 3:35–44; Anderson, Cain &amp; Gelber, J Clin Oncol 1983; 1:710–719). Plain functions over the outcomes.
/// </summary>
public static partial class StudyComparisons
{
    static readonly bool[] Exposures = [false, true];

    public const string NoTimeAfterAnchor = "no follow-up after the second-line relapse anchor (death or last contact on the anchor date)";

    /// <summary>
    /// The counting-process rows of every patient in the comparison (group mtki or control), R's tmerge on
    /// OS from the anchor with the first mTKI start as the time-dependent exposure, in the unit.
    /// </summary>
    /// <returns>Rows by patient id then time; exclusions: the groups' own and OS time 0.</returns>
    public static IntervalsReport Intervals(IReadOnlyList<PatientOutcome> outcomes, TimeUnit unit)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var (rows, excluded) = Split(outcomes);
        return new IntervalsReport(
            [.. rows.Select(r => new ExposureRow(r.Id, TimeUnits.FromDays(r.Start, unit), TimeUnits.FromDays(r.Stop, unit), r.Event ? 1 : 0, r.Exposed ? 1 : 0))],
            excluded);
    }

    /// <summary>
    /// Mantel–Byar, Simon–Makuch and a Cox model of <c>mtki</c> (time-dependent) plus the requested covariates.
    /// </summary>
    /// <param name="outcomes">The cohort shown (also sets the order of histology levels).</param>
    /// <param name="unit">Unit of the curves' times (the tests and hazard ratios do not depend on it).</param>
    /// <param name="ties">Ties of the Cox model; the Mantel–Byar test is always Breslow's score test.</param>
    /// <param name="covariates">Names from <see cref="CoxCovariates.Known"/>.</param>
    /// <remarks>
    /// No exposed or no unexposed time, or no deaths: no Mantel–Byar test and no Cox model, with a warning.
    /// </remarks>
    public static TimeDependentReport TimeDependent(IReadOnlyList<PatientOutcome> outcomes, TimeUnit unit, CoxTies ties, IReadOnlyList<string> covariates)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var (rows, excluded) = Split(outcomes);
        var warnings = new List<string>();
        var inUnit = rows.Select(r => r with { Start = TimeUnits.FromDays(r.Start, unit), Stop = TimeUnits.FromDays(r.Stop, unit) }).ToList();

        var curves = Exposures.Select(exposed =>
        {
            var part = inUnit.Where(r => r.Exposed == exposed).Select(r => new AtRiskInterval(r.Start, r.Stop, r.Event)).ToList();
            var curve = KaplanMeier.EstimateIntervals(part);
            var name = exposed ? "mtki" : "unexposed";
            if (part.Count > 0 && curve.Events == 0) warnings.Add($"no deaths during {(exposed ? "exposed (mtki)" : "unexposed")} time: its hazard cannot be compared");
            return new SimonMakuchCurve(name, exposed, curve.N, curve.Events, Points(curve));
        }).ToList();

        ChiSquareTest? mantelByar = null;
        var bothExposures = inUnit.Any(r => r.Exposed) && inUnit.Any(r => !r.Exposed);
        if (!bothExposures) warnings.Add("no Mantel–Byar test or Cox model: the intervals are all exposed or all unexposed");
        else if (!inUnit.Any(r => r.Event)) warnings.Add("no Mantel–Byar test or Cox model: no deaths");
        else if (!BothAtRiskAtADeath(inUnit)) warnings.Add("no Mantel–Byar test or Cox model: no death with both exposed and unexposed time at risk");
        else
        {
            mantelByar = Cox.Fit([.. inUnit.Select(r => new CoxObservation(r.Start, r.Stop, r.Event, [r.Exposed ? 1 : 0]))], ["mtki"], CoxTies.Breslow).Score;
        }

        CoxSummary? cox = null;
        if (mantelByar is not null)
        {
            var ids = inUnit.Select(r => r.Id).ToHashSet();
            var patients = outcomes.Where(o => ids.Contains(o.PatientId)).ToList();
            var design = CoxCovariates.Build(patients, covariates, outcomes);
            warnings.AddRange(design.Missing.Select(m => $"{m.PatientId}: {m.Reason}"));
            var coxRows = inUnit.Where(r => design.Rows.ContainsKey(r.Id))
                .Select(r => new CoxObservation(r.Start, r.Stop, r.Event, [r.Exposed ? 1 : 0, .. design.Rows[r.Id]])).ToList();
            cox = FitCox(coxRows, ["mtki", .. design.Names], ties, warnings);
        }

        return new TimeDependentReport(mantelByar, cox, curves, excluded, warnings);
    }

    /// <summary>The test has information only at deaths where exposed and unexposed rows are both at risk.</summary>
    static bool BothAtRiskAtADeath(List<ExposureInterval> rows)
    {
        // At risk at t: rows with stop >= t minus rows with start >= t, counted by binary search per exposure.
        var sorted = Exposures.Select(e => (
            Starts: rows.Where(r => r.Exposed == e).Select(r => r.Start).Order().ToArray(),
            Stops: rows.Where(r => r.Exposed == e).Select(r => r.Stop).Order().ToArray())).ToArray();
        static int AtLeast(double[] values, double t)
        {
            var index = Array.BinarySearch(values, t);
            if (index < 0) index = ~index;
            else while (index > 0 && values[index - 1] == t) index--;
            return values.Length - index;
        }

        return rows.Where(r => r.Event).Select(r => r.Stop).Distinct()
            .Any(t => sorted.All(e => AtLeast(e.Stops, t) - AtLeast(e.Starts, t) > 0));
    }

    /// <summary>The groups' exclusions and tmerge's rows in days; a patient with OS time 0 has none and is excluded.</summary>
    static (IReadOnlyList<ExposureInterval> Rows, List<Exclusion> Excluded) Split(IReadOnlyList<PatientOutcome> outcomes)
    {
        var excluded = outcomes.Where(o => o.ExclusionReason is not null).Select(o => new Exclusion(o.PatientId, o.ExclusionReason!)).ToList();
        var subjects = Compared(outcomes).OrderBy(o => o.PatientId, StringComparer.Ordinal)
            .Select(o => new ExposureFollowUp(o.PatientId, o.OverallSurvival!.Days, o.OverallSurvival.Event,
                o.Group == "mtki" && o.FirstMtkiStart is { } start ? start.DayNumber - o.Anchor!.Date.DayNumber : null))
            .ToList();
        var rows = TimeDependentExposure.Intervals(subjects, out var withoutTime);
        excluded.AddRange(withoutTime.Select(id => new Exclusion(id, NoTimeAfterAnchor)));
        excluded.Sort((a, b) => string.CompareOrdinal(a.PatientId, b.PatientId));
        return (rows, excluded);
    }

    /// <summary>The patients of the OS comparison: group mtki or control, with OS from the anchor.</summary>
    static IEnumerable<PatientOutcome> Compared(IReadOnlyList<PatientOutcome> outcomes) =>
        outcomes.Where(o => o.Group is "mtki" or "control" && o.OverallSurvival is not null && o.Anchor is not null);

    static List<CurvePoint> Points(SurvivalCurve curve) =>
        [.. curve.Steps.Select(s => new CurvePoint(s.Time, s.AtRisk, s.Events, s.Censored, s.Survival, s.Lower, s.Upper))];
}
