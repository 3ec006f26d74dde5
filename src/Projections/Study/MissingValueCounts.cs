using Timeline.Projections.Patients;

namespace Timeline.Projections.Study;

/// <summary>How many of an analysis's patients have one missing value: the fact kind, the field, the reason.</summary>
public sealed record MissingValueCount(string Fact, string Field, string Reason, int Patients);

/// <summary>
/// The missing values behind a figure: over the patients an analysis covers, each (fact, field, reason) with the
/// number of patients who have it (a patient counts once per value, however many of its facts have it).
/// </summary>
public static class MissingValueCounts
{
    /// <summary>Ordered by fact, field and reason (ordinal); empty when no covered patient has a missing value.</summary>
    public static IReadOnlyList<MissingValueCount> Of(IEnumerable<PatientOutcome> covered)
    {
        // Most patients have none and the rest share a few combinations: count the texts, then read each once.
        var byText = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var o in covered)
            if (o.MissingValues is { } text) byText[text] = byText.GetValueOrDefault(text) + 1;
        var counts = new Dictionary<(string, string, string), int>();
        foreach (var (text, patients) in byText)
            foreach (var key in text.Split(','))
            {
                var dot = key.IndexOf('.', StringComparison.Ordinal);
                var equals = key.IndexOf('=', StringComparison.Ordinal);
                if (dot < 0 || equals < dot) continue; // not written by PatientOutcome: nothing to count
                var k = (key[..dot], key[(dot + 1)..equals], key[(equals + 1)..]);
                counts[k] = counts.GetValueOrDefault(k) + patients;
            }
        return counts.Select(c => new MissingValueCount(c.Key.Item1, c.Key.Item2, c.Key.Item3, c.Value))
            .OrderBy(c => c.Fact, StringComparer.Ordinal).ThenBy(c => c.Field, StringComparer.Ordinal)
            .ThenBy(c => c.Reason, StringComparer.Ordinal).ToList();
    }

    /// <summary>The patients the naive OS comparison analyses: those in the mtki or control group.</summary>
    public static IEnumerable<PatientOutcome> OverallSurvivalPatients(IEnumerable<PatientOutcome> outcomes) =>
        outcomes.Where(o => o.Group is not null && o.OverallSurvival is not null);

    /// <summary>The patients TTP, PFS and the response analysis cover: those who started an mTKI line.</summary>
    public static IEnumerable<PatientOutcome> MtkiPatients(IEnumerable<PatientOutcome> outcomes) => outcomes.Where(o => o.StartedMtki);
}
