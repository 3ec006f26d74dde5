using System.Globalization;
using Timeline.Projections.Analysis;
using Timeline.Projections.Study;
using Timeline.Recording;

namespace Timeline.Comparisons;

/// <summary>The comparison routes' own parameters (ties, covariates, landmarks); each refusal names its parameter.</summary>
public static class ComparisonQuery
{
    /// <summary>The default landmarks, in months: 3, 6 and 12 months after the anchor.</summary>
    public static readonly IReadOnlyList<double> DefaultLandmarkMonths = [3, 6, 12];

    public const int MaxLandmarks = 12;

    public static CoxTies? ParseTies(string? ties, out IResult? problem)
    {
        problem = null;
        switch (ties?.Trim().ToLowerInvariant())
        {
            case null or "" or "efron": return CoxTies.Efron;
            case "breslow": return CoxTies.Breslow;
            default:
                problem = Problems.Invalid("ties", $"ties '{ties}' must be efron or breslow.");
                return null;
        }
    }

    /// <summary>A comma-separated list of <see cref="CoxCovariates.Known"/> names, each at most once; empty: none.</summary>
    public static IReadOnlyList<string>? ParseCovariates(string? covariates, out IResult? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(covariates)) return [];
        var names = new List<string>();
        foreach (var part in covariates.Split(',', StringSplitOptions.TrimEntries))
        {
            var known = CoxCovariates.Known.FirstOrDefault(k => string.Equals(k, part, StringComparison.OrdinalIgnoreCase));
            if (known is null)
            {
                problem = Problems.Invalid("covariates", $"covariate '{part}' is not one of {string.Join(", ", CoxCovariates.Known)}.");
                return null;
            }

            if (names.Contains(known))
            {
                problem = Problems.Invalid("covariates", $"covariate '{known}' is listed twice.");
                return null;
            }

            names.Add(known);
        }

        return names;
    }

    /// <summary>Landmarks as comma-separated numbers in the answer's unit (invariant culture), each finite and &gt;= 0, distinct; null when absent.</summary>
    public static IReadOnlyList<double>? ParseLandmarks(string? at, out IResult? problem)
    {
        problem = null;
        if (at is null) return null;
        var values = new List<double>();
        foreach (var part in at.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value < 0)
            {
                problem = Problems.Invalid("at", $"landmark '{part}' must be a number of the unit, 0 or more (e.g. at=3,6,12).");
                return null;
            }

            if (values.Contains(value))
            {
                problem = Problems.Invalid("at", string.Create(CultureInfo.InvariantCulture, $"landmark {value} is listed twice."));
                return null;
            }

            values.Add(value);
        }

        if (values.Count > MaxLandmarks)
        {
            problem = Problems.Invalid("at", $"at most {MaxLandmarks} landmarks.");
            return null;
        }

        return values;
    }
}
