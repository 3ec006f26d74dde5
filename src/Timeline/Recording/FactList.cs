using System.Buffers;
using System.Runtime.InteropServices;
using Timeline.Projections.Events;
using Timeline.Projections.Patients;

namespace Timeline.Recording;

/// <summary>
/// A chart's facts as the rules read them: a plain array (borrowed from a pool, returned on dispose) holding the
/// chart with one fact appended, replaced or removed (references only, no list per rule). Each search is one
/// tight pass; no search is nested in another, so every rule check is linear in the patient's facts.
/// </summary>
public readonly struct FactList : IDisposable
{
    readonly ClinicalFact[] items;

    // Where the facts that happen once (enrolment, diagnosis, death) stand: the first two positions of each, so
    // "the first one other than the fact at k" is answered without a pass of its own for every check.
    readonly (int First, int Second) enrolment, diagnosis, death;

    public int Count { get; }

    FactList(ClinicalFact[] items, int count)
    {
        (this.items, Count) = (items, count);
        enrolment = diagnosis = death = (-1, -1);
        for (var i = 0; i < count; i++)
        {
            switch (items[i])
            {
                case PatientEnrolled: Note(ref enrolment, i); break;
                case DiagnosisRecorded: Note(ref diagnosis, i); break;
                case DeathRecorded: Note(ref death, i); break;
            }
        }
    }

    static void Note(ref (int First, int Second) at, int i)
    {
        if (at.First < 0) at.First = i;
        else if (at.Second < 0) at.Second = i;
    }

    T? Other<T>((int First, int Second) at, int k) where T : ClinicalFact
    {
        var i = at.First == k ? at.Second : at.First;
        return i < 0 ? null : (T)items[i];
    }

    /// <summary>The first enrolment other than the fact at <paramref name="k"/>.</summary>
    public PatientEnrolled? EnrolmentOtherThan(int k) => Other<PatientEnrolled>(enrolment, k);

    /// <summary>The first diagnosis other than the fact at <paramref name="k"/>.</summary>
    public DiagnosisRecorded? DiagnosisOtherThan(int k) => Other<DiagnosisRecorded>(diagnosis, k);

    /// <summary>The first diagnosis recorded before position <paramref name="k"/>.</summary>
    public DiagnosisRecorded? DiagnosisBefore(int k) => diagnosis.First >= 0 && diagnosis.First < k ? (DiagnosisRecorded)items[diagnosis.First] : null;

    /// <summary>The first death other than the fact at <paramref name="k"/>.</summary>
    public DeathRecorded? DeathOtherThan(int k) => Other<DeathRecorded>(death, k);

    public ClinicalFact this[int index] => index < Count ? items[index] : throw new ArgumentOutOfRangeException(nameof(index));

    /// <param name="replaceAt">The position whose fact is <paramref name="fact"/> instead (or where it is appended, at the end).</param>
    /// <param name="removeAt">The position left out.</param>
    public static FactList Of(IReadOnlyList<ChartEntry> chart, int replaceAt = -1, ClinicalFact? fact = null, int removeAt = -1)
    {
        var count = chart.Count + (replaceAt == chart.Count ? 1 : 0) - (removeAt >= 0 ? 1 : 0);
        var items = ArrayPool<ClinicalFact>.Shared.Rent(Math.Max(1, count));
        var n = 0;
        // The chart's own list read as a span: no interface call per fact.
        ReadOnlySpan<ChartEntry> entries = chart is List<ChartEntry> list ? CollectionsMarshal.AsSpan(list) : chart.ToArray();
        for (var i = 0; i < entries.Length; i++)
            if (i != removeAt) items[n++] = entries[i].Fact;
        if (replaceAt >= 0 && fact is not null) items[replaceAt] = fact;
        return new FactList(items, count); // positions noted once the array holds the chart as the rules see it
    }

    /// <summary>The first fact, other than the one at <paramref name="k"/>, that matches; in recorded order.</summary>
    public ClinicalFact? FirstOther(int k, Func<ClinicalFact, bool> matches)
    {
        for (var i = 0; i < Count; i++)
            if (i != k && matches(items[i])) return items[i];
        return null;
    }

    /// <summary>The first fact recorded before position <paramref name="end"/> that matches.</summary>
    public ClinicalFact? FirstBefore(int end, Func<ClinicalFact, bool> matches)
    {
        for (var i = 0; i < end; i++)
            if (matches(items[i])) return items[i];
        return null;
    }

    /// <summary>Whether any fact before position <paramref name="end"/> matches; searched from there backwards,
    /// as what a new fact refers to (its line's start) was usually recorded shortly before it.</summary>
    public bool AnyBefore(int end, Func<ClinicalFact, bool> matches)
    {
        for (var i = end - 1; i >= 0; i--)
            if (matches(items[i])) return true;
        return false;
    }

    public void Dispose()
    {
        Array.Clear(items, 0, Count);
        ArrayPool<ClinicalFact>.Shared.Return(items);
    }
}
