using System.Text.Json;

namespace Timeline.Tests.Statistics;

/// <summary>
/// The values of <c>reference/make-comparisons-reference.R</c> (Cox fits, tmerge intervals, Mantel–Byar,
/// Simon–Makuch), read from <c>reference/comparisons-reference.json</c> beside it; found like
/// <see cref="ReferenceData"/>. Comparisons here are at relative 1e-6 (the study's requirement), and every
/// one is counted so that the largest relative error can be reported.
/// </summary>
internal static class ComparisonReference
{
    private const string RelativeFile = "tests/Timeline.Tests/Statistics/reference/comparisons-reference.json";

    public const double Relative = 1e-6;

    private static readonly Lazy<JsonElement> Root = new(Load);

    public static JsonElement Json => Root.Value;

    public static string Versions =>
        $"survival {Json.GetProperty("survival_version").GetString()}, R {Json.GetProperty("r_version").GetString()!.Split(' ')[2]}";

    public static IEnumerable<JsonElement> CoxCases => Json.GetProperty("cox").EnumerateArray();

    public static JsonElement CoxCase(string name) => CoxCases.Single(c => c.GetProperty("name").GetString() == name);

    public static double[] Doubles(JsonElement array) => [.. ReferenceData.Numbers(array).Select(v => v ?? double.NaN)];

    public static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    /// <summary>Asserts |actual − expected| ≤ 1e-6·|expected| + 1e-12, R's NaN as NaN; returns the relative error.</summary>
    public static double ShouldEqualR(this double actual, double expected, string what)
    {
        if (double.IsNaN(expected))
        {
            double.IsNaN(actual).ShouldBeTrue($"{what}: R gives NaN, got {actual}");
            return 0;
        }

        var error = Math.Abs(actual - expected);
        Record(what, expected == 0 ? error : error / Math.Abs(expected));
        error.ShouldBeLessThanOrEqualTo((Relative * Math.Abs(expected)) + 1e-12, $"{what}: R gives {expected:R}, got {actual:R}");
        return expected == 0 ? 0 : error / Math.Abs(expected);
    }

    private static readonly Lock Log = new();

    /// <summary>With TIMELINE_R_ERRORS=file set, every comparison's relative error is appended to it (to report the largest).</summary>
    private static void Record(string what, double relativeError)
    {
        var file = Environment.GetEnvironmentVariable("TIMELINE_R_ERRORS");
        if (string.IsNullOrEmpty(file)) return;
        lock (Log)
        {
            File.AppendAllText(file, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{relativeError:R}\t{what}\n"));
        }
    }

    private static JsonElement Load()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, RelativeFile);
            if (File.Exists(candidate))
            {
                using var document = JsonDocument.Parse(File.ReadAllText(candidate));
                return document.RootElement.Clone();
            }
        }

        throw new FileNotFoundException($"{RelativeFile} not found above {AppContext.BaseDirectory}; the tests read it from the source tree.");
    }
}
