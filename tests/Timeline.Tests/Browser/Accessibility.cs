using System.Text.Json;
using PuppeteerSharp;

namespace Timeline.Tests.Browser;

/// <summary>
/// axe-core (Deque's engine, the script the Deque.AxeCore.Commons package embeds) run inside a page as it stands, so a
/// check sees the forms and panels the test has opened. Nothing is downloaded.
/// </summary>
public static class Accessibility
{
    static readonly Lazy<string> Script = new(() =>
    {
        var assembly = typeof(Deque.AxeCore.Commons.AxeResult).Assembly;
        using var stream = assembly.GetManifestResourceStream("Deque.AxeCore.Commons.Resources.axe.min.js")
            ?? throw new InvalidOperationException("axe.min.js is not embedded in Deque.AxeCore.Commons");
        return new StreamReader(stream).ReadToEnd();
    });

    static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>One rule axe found broken: its id, impact (minor, moderate, serious, critical), help text and the elements.</summary>
    public sealed record Violation(string Id, string Impact, string Help, IReadOnlyList<string> Targets)
    {
        public override string ToString() => $"{Impact} {Id}: {Help} ({string.Join(", ", Targets)})";
    }

    /// <summary>Runs axe on the whole document (WCAG 2.x A and AA rules and axe's best practices) and answers every violation.</summary>
    public static async Task<IReadOnlyList<Violation>> CheckAsync(IPage page)
    {
        if (!await page.EvaluateExpressionAsync<bool>("typeof window.axe !== 'undefined'"))
            await page.EvaluateExpressionAsync(Script.Value); // evaluated by the debugger, not a <script>: the pages' CSP allows no inline script
        var json = await page.EvaluateFunctionAsync<string>("""
            async () => {
              const results = await window.axe.run(document, { resultTypes: ['violations'] });
              return JSON.stringify(results.violations.map(v => ({
                id: v.id, impact: v.impact ?? 'unknown', help: v.help,
                targets: v.nodes.map(n => n.target.join(' '))
              })));
            }
            """);
        return JsonSerializer.Deserialize<List<Violation>>(json, Web)!;
    }

    /// <summary>The violations at or above an impact ("serious" answers serious and critical ones).</summary>
    public static IReadOnlyList<Violation> AtLeast(this IReadOnlyList<Violation> violations, string impact)
    {
        string[] order = ["minor", "moderate", "serious", "critical"];
        var floor = Array.IndexOf(order, impact);
        return violations.Where(v => Array.IndexOf(order, v.Impact) >= floor).ToList();
    }
}
