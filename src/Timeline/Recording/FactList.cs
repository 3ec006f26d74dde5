using System.Buffers;
using System.Runtime.InteropServices;
using Timeline.Projections.Events;
using Timeline.Projections.Patients;

namespace Timeline.Recording;

/// <summary>
/// A chart's facts as the rules read them: a plain array (borrowed from a pool, returned on dispose) holding the
/// chart with one fact appended, replaced or removed, never a copy of the chart's entries. Each search is one
/// tight pass; no search is nested in another, so every rule check is linear in the patient's facts.
/// </summary>
public readonly struct FactList : IDisposable
{
    readonly ClinicalFact[] items;

    public int Count { get; }

    FactList(ClinicalFact[] items, int count) => (this.items, Count) = (items, count);

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
        return new FactList(items, count);
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
