namespace Timeline.Projections.Catalogue;

/// <summary>
/// The multi-targeted kinase inhibitors (mTKI) that make a treatment line an mTKI line. Ships with the
/// study's agents and their close relatives; sites extend it through configuration (Timeline:MtkiAgents).
/// </summary>
public static class KinaseInhibitors
{
    public static readonly IReadOnlyList<string> Shipped =
        ["sorafenib", "regorafenib", "pazopanib", "cabozantinib", "lenvatinib", "apatinib", "anlotinib", "sunitinib"];

    static volatile HashSet<string> agents = new(Shipped, StringComparer.OrdinalIgnoreCase);

    /// <summary>Adds agents at start-up; the catalogue only grows, so no derived figure silently loses a line.</summary>
    public static void Extend(IEnumerable<string> more)
    {
        var next = new HashSet<string>(agents, StringComparer.OrdinalIgnoreCase);
        foreach (var agent in more.Where(a => !string.IsNullOrWhiteSpace(a))) next.Add(agent.Trim());
        agents = next;
    }

    public static bool IsMtki(string agent) => agents.Contains(agent.Trim());

    public static bool AnyMtki(IEnumerable<string> lineAgents) => lineAgents.Any(IsMtki);

    /// <summary>The first mTKI among a line's agents, for the by-drug tallies.</summary>
    public static string? FirstMtki(IEnumerable<string> lineAgents) => lineAgents.FirstOrDefault(IsMtki)?.Trim().ToLowerInvariant();
}
