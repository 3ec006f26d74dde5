using MathNet.Numerics.Distributions;

namespace Timeline.Projections.Analysis;

/// <summary>
/// Pointwise limits for S from the standard error of log S, a port of R's
/// <c>survival:::survfit_confint</c> with <c>logse = TRUE</c> (the Kaplan–Meier case). The arithmetic
/// is kept in R's order so results agree to the last digits.
/// </summary>
internal static class ConfidenceLimits
{
    internal static double Z(double level) => Normal.InvCDF(0, 1, 1 - ((1 - level) / 2));

    internal static (double? Lower, double? Upper) For(double survival, double stdErrLog, ConfidenceType type, double z)
    {
        switch (type)
        {
            case ConfidenceType.Log:
            {
                if (survival == 0)
                {
                    return (null, null);
                }

                var se2 = z * stdErrLog;
                return (Valid(Math.Exp(Math.Log(survival) - se2)), Valid(Math.Min(Math.Exp(Math.Log(survival) + se2), 1)));
            }

            case ConfidenceType.LogLog:
            {
                if (survival == 0 || survival == 1)
                {
                    return (null, null);
                }

                var se2 = z * stdErrLog / Math.Log(survival);
                var loglog = Math.Log(-Math.Log(survival));
                return (Valid(Math.Exp(-Math.Exp(loglog - se2))), Valid(Math.Exp(-Math.Exp(loglog + se2))));
            }

            case ConfidenceType.Plain:
            {
                var se2 = stdErrLog * survival * z;
                return (Valid(Math.Max(survival - se2, 0)), Valid(Math.Min(survival + se2, 1)));
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown confidence type.");
        }
    }

    // R's pmax/pmin propagate NaN (0·∞ at S = 0 for "plain"); it is reported as missing.
    private static double? Valid(double value) => double.IsNaN(value) ? null : value;
}
