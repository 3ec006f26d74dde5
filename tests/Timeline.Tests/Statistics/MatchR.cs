namespace Timeline.Tests.Statistics;

/// <summary>
/// Comparison with R at a stated precision: relative 1e-9 (nine significant digits, beyond the six the
/// study requires), with an absolute floor of 1e-12 for values that are 0. R's NA and NaN must be
/// missing (null or NaN) here; R's Inf must be the same infinity.
/// </summary>
internal static class MatchR
{
    public const double Relative = 1e-9;
    public const double Absolute = 1e-12;

    public static void ShouldMatchR(this double? actual, double? expected, string what)
    {
        if (expected is null || double.IsNaN(expected.Value))
        {
            (actual is null || double.IsNaN(actual.Value)).ShouldBeTrue($"{what}: R gives NA/NaN, got {actual}");
            return;
        }

        actual.ShouldNotBeNull($"{what}: R gives {expected}, got null");
        if (double.IsInfinity(expected.Value))
        {
            actual.Value.ShouldBe(expected.Value, $"{what}: R gives {expected}");
            return;
        }

        var tolerance = (Relative * Math.Abs(expected.Value)) + Absolute;
        Math.Abs(actual.Value - expected.Value).ShouldBeLessThanOrEqualTo(
            tolerance, $"{what}: R gives {expected.Value:R}, got {actual.Value:R}");
    }

    public static void ShouldMatchR(this double actual, double? expected, string what) =>
        ((double?)actual).ShouldMatchR(expected, what);

    public static void ShouldMatchR(this IReadOnlyList<double?> actual, double?[] expected, string what)
    {
        actual.Count.ShouldBe(expected.Length, $"{what}: length");
        for (var i = 0; i < expected.Length; i++)
        {
            actual[i].ShouldMatchR(expected[i], $"{what}[{i}]");
        }
    }
}
