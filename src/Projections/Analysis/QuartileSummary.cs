namespace Timeline.Projections.Analysis;

/// <summary>
/// The three quartiles of a sample by R's default quantile definition (type 7, Hyndman &amp; Fan,
/// The American Statistician 1996; 50:361–365), as <c>quantile(x, c(0.25, 0.5, 0.75))</c>.
/// </summary>
/// <param name="FirstQuartile">The 25th percentile.</param>
/// <param name="Median">The median (average of the middle two for an even count).</param>
/// <param name="ThirdQuartile">The 75th percentile.</param>
public sealed record QuartileSummary(double FirstQuartile, double Median, double ThirdQuartile);
