namespace Timeline.Projections.Analysis;

/// <summary>
/// The unit in which follow-up times are reported. Times are recorded in days; weeks and months are
/// derived with fixed lengths so that every analysis converts alike.
/// </summary>
public enum TimeUnit
{
    /// <summary>Days, the recorded unit.</summary>
    Days,

    /// <summary>Weeks of 7 days.</summary>
    Weeks,

    /// <summary>Months of 30.4375 days (365.25 / 12), the usual convention of oncology reports.</summary>
    Months,
}

/// <summary>
/// Conversion of day counts to the reporting <see cref="TimeUnit"/>. A month is 365.25/12 = 30.4375 days,
/// the mean month of the Julian year of 365.25 days, the common convention when oncology reports give
/// time-to-event results in months (it is what R users write as <c>days / 30.4375</c>).
/// </summary>
public static class TimeUnits
{
    /// <summary>Days in a week.</summary>
    public const double DaysPerWeek = 7;

    /// <summary>Days in a month: 365.25 / 12.</summary>
    public const double DaysPerMonth = 30.4375;

    /// <summary>Converts a number of days to <paramref name="unit"/>.</summary>
    /// <param name="days">Days; any finite value (negative differences convert too).</param>
    /// <param name="unit">The target unit.</param>
    /// <returns>days, days / 7 or days / 30.4375. Exact for days (no rounding); a NaN stays NaN.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="unit"/> is not a defined unit.</exception>
    public static double FromDays(double days, TimeUnit unit) => unit switch
    {
        TimeUnit.Days => days,
        TimeUnit.Weeks => days / DaysPerWeek,
        TimeUnit.Months => days / DaysPerMonth,
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "Unknown time unit."),
    };

    /// <summary>Converts a value in <paramref name="unit"/> back to days, the inverse of <see cref="FromDays"/>.</summary>
    /// <param name="value">The value in <paramref name="unit"/>.</param>
    /// <param name="unit">Its unit.</param>
    /// <returns>value, value·7 or value·30.4375 days.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="unit"/> is not a defined unit.</exception>
    public static double ToDays(double value, TimeUnit unit) => unit switch
    {
        TimeUnit.Days => value,
        TimeUnit.Weeks => value * DaysPerWeek,
        TimeUnit.Months => value * DaysPerMonth,
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "Unknown time unit."),
    };
}
