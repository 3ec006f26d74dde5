namespace Timeline.Projections.Analysis;

/// <summary>A chi-square test as R prints it: statistic, degrees of freedom, upper-tail p.</summary>
/// <param name="ChiSquare">The statistic, &gt;= 0.</param>
/// <param name="Df">Degrees of freedom.</param>
/// <param name="P">1 − MathNet's <c>ChiSquared.CDF(Df, ChiSquare)</c>; 1 when Df is 0. Values below about 1e-15 read as 0.</param>
public sealed record ChiSquareTest(double ChiSquare, int Df, double P)
{
    internal static ChiSquareTest Of(double chiSquare, int df)
    {
        if (df <= 0) return new(chiSquare, df, 1); // R: pchisq(x, 0, lower.tail = FALSE) is 1 for x >= 0
        var p = double.IsNaN(chiSquare) ? double.NaN : 1 - MathNet.Numerics.Distributions.ChiSquared.CDF(df, chiSquare);
        return new(chiSquare, df, p);
    }
}
