using System.Text.RegularExpressions;

namespace Timeline.Projections.Catalogue;

/// <summary>ICD-O-3 morphology codes the study names; any other well-formed code is accepted as it is.</summary>
public static partial class Histologies
{
    static readonly Dictionary<string, string> CodeByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["osteosarcoma"] = "9180/3",
        ["synovial sarcoma"] = "9040/3",
        ["chondrosarcoma"] = "9220/3",
        ["rhabdomyosarcoma"] = "8900/3",
        ["ewing sarcoma"] = "9260/3",
    };

    static readonly Dictionary<string, string> NameByCode =
        CodeByName.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    // Morphology: four ASCII digits, a slash, and the behaviour code (0, 1, 2, 3, 6 or 9). [0-9], not \d (any
    // Unicode digit: "９１８０/3" would be stored as a code nobody can match); \z, not $ (which passes a final newline).
    [GeneratedRegex(@"\A[0-9]{4}/[012369]\z")]
    private static partial Regex MorphologyCode();

    /// <summary>The ICD-O-3 code for a name ("osteosarcoma", "synovial-sarcoma") or a code; null when neither.</summary>
    public static string? ToCode(string? nameOrCode)
    {
        if (string.IsNullOrWhiteSpace(nameOrCode)) return null;
        var text = nameOrCode.Trim().Replace('-', ' ').Replace('_', ' ');
        if (CodeByName.TryGetValue(text, out var code)) return code;
        return MorphologyCode().IsMatch(nameOrCode.Trim()) ? nameOrCode.Trim() : null;
    }

    /// <summary>The study's name for a code, or null for a code outside the named list.</summary>
    public static string? NameOf(string? code) => code is not null && NameByCode.TryGetValue(code, out var name) ? name : null;
}
