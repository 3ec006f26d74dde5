using Timeline.Projections.Events;
using Timeline.Projections.Patients;

namespace Timeline.Projections.Study;

/// <summary>The covariates' columns for a set of patients: one design row per patient with complete values.</summary>
/// <param name="Names">Column names: <c>ageAtAnchor</c>, then a 0/1 column per non-reference factor level (<c>sex=male</c>, <c>metastatic=true</c>, <c>histology=9040/3</c>).</param>
/// <param name="Rows">The design row of every patient with all requested values.</param>
/// <param name="Missing">Patients left out because a requested value is unknown, with the covariate (R's <c>na.omit</c>).</param>
public sealed record CovariateDesign(IReadOnlyList<string> Names, IReadOnlyDictionary<string, double[]> Rows, IReadOnlyList<Exclusion> Missing);

/// <summary>
/// The Cox covariates of DOMAIN.md ("Comparisons"): <c>ageAtAnchor</c> = (anchor − birth) in days / 365.25;
/// <c>sex</c> and <c>metastatic</c> (at diagnosis) as factors with female and false as reference;
/// <c>histology</c> as a factor in the pages' order (most frequent in the cohort first, ties by the lower
/// ICD-O-3 code), the first present level the reference. Levels absent from the patients are dropped, as R's
/// <c>model.frame</c> drops unused levels (Therneau &amp; Grambsch 2000, §3.1, treatment contrasts).
/// </summary>
public static class CoxCovariates
{
    public const string AgeAtAnchor = "ageAtAnchor";
    public const string Sex = "sex";
    public const string Metastatic = "metastatic";
    public const string Histology = "histology";

    /// <summary>The covariates a comparison may adjust for, in the order their columns are built.</summary>
    public static readonly IReadOnlyList<string> Known = [AgeAtAnchor, Sex, Metastatic, Histology];

    static readonly bool[] MetastaticLevels = [false, true];

    /// <summary>
    /// Builds the columns.
    /// </summary>
    /// <param name="patients">The patients of the model; each needs an anchor.</param>
    /// <param name="covariates">Requested names from <see cref="Known"/>, in any order (columns follow <see cref="Known"/>).</param>
    /// <param name="cohort">Every patient of the cohort shown: sets the order of the histology levels.</param>
    /// <returns>
    /// The names and rows. A factor with one level present gives no column (R would give NA); sex
    /// "unknown" and a missing birth date, metastatic status or histology leave the patient out.
    /// </returns>
    public static CovariateDesign Build(IReadOnlyList<PatientOutcome> patients, IReadOnlyList<string> covariates, IReadOnlyList<PatientOutcome> cohort)
    {
        ArgumentNullException.ThrowIfNull(patients);
        ArgumentNullException.ThrowIfNull(covariates);
        ArgumentNullException.ThrowIfNull(cohort);
        var wanted = Known.Where(covariates.Contains).ToList();
        var missing = new List<Exclusion>();
        var complete = new List<PatientOutcome>();
        foreach (var p in patients)
        {
            var absent = wanted.FirstOrDefault(c => c switch
            {
                AgeAtAnchor => p.BirthDate is null || p.Anchor is null,
                Sex => p.Sex is null or Events.Sex.Unknown,
                Metastatic => p.Metastatic is null,
                _ => p.Histology is null,
            });
            if (absent is null) complete.Add(p);
            else missing.Add(new Exclusion(p.PatientId, $"{absent} unknown: left out of the Cox model"));
        }

        var sexLevels = new[] { Events.Sex.Female, Events.Sex.Male, Events.Sex.Other }.Where(s => complete.Any(p => p.Sex == s)).ToList();
        var metastaticLevels = MetastaticLevels.Where(m => complete.Any(p => p.Metastatic == m)).ToList();
        var histologyLevels = cohort.Where(o => o.Histology is not null).GroupBy(o => o.Histology!)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key)
            .Where(h => complete.Any(p => p.Histology == h)).ToList();

        var names = new List<string>();
        var columns = new List<Func<PatientOutcome, double>>();
        foreach (var c in wanted)
        {
            switch (c)
            {
                case AgeAtAnchor:
                    names.Add(AgeAtAnchor);
                    columns.Add(p => (p.Anchor!.Date.DayNumber - p.BirthDate!.Value.DayNumber) / 365.25);
                    break;
                case Sex:
                    foreach (var level in sexLevels.Skip(1))
                    {
                        names.Add($"sex={level.ToString().ToLowerInvariant()}");
                        columns.Add(p => p.Sex == level ? 1 : 0);
                    }
                    break;
                case Metastatic:
                    foreach (var level in metastaticLevels.Skip(1))
                    {
                        names.Add("metastatic=true");
                        columns.Add(p => p.Metastatic == level ? 1 : 0);
                    }
                    break;
                default:
                    foreach (var level in histologyLevels.Skip(1))
                    {
                        names.Add($"histology={level}");
                        columns.Add(p => p.Histology == level ? 1 : 0);
                    }
                    break;
            }
        }

        var rows = complete.ToDictionary(p => p.PatientId, p => columns.Select(f => f(p)).ToArray());
        return new CovariateDesign(names, rows, missing);
    }
}
