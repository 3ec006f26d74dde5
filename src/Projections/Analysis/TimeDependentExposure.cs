namespace Timeline.Projections.Analysis;

/// <summary>One subject's follow-up and the time its exposure began (null: never exposed during follow-up).</summary>
/// <param name="Id">The subject (a pseudonymous patient id).</param>
/// <param name="Time">Follow-up from the origin to the event or censoring; finite.</param>
/// <param name="Event">True when the follow-up ended in the event.</param>
/// <param name="ExposureStart">When exposure began, from the same origin; null when it never did.</param>
public sealed record ExposureFollowUp(string Id, double Time, bool Event, double? ExposureStart);

/// <summary>A counting-process row (<see cref="Start"/>, <see cref="Stop"/>] of one subject, exposed or not throughout it.</summary>
public sealed record ExposureInterval(string Id, double Start, double Stop, bool Event, bool Exposed);

/// <summary>
/// Splits follow-up at the start of exposure, exactly as R's
/// <c>tmerge(base, base, id, death = event(time, status), exposed = tdc(exposureStart))</c> does
/// (Therneau, Crowson &amp; Atkinson, "Using time dependent covariates and time dependent coefficients in
/// the Cox model", survival package vignette, 2023; Therneau &amp; Grambsch 2000, §3.7). A treated patient
/// counts as unexposed until treatment starts, which removes the immortal-time bias of fixing the group
/// at the origin (Simon &amp; Makuch, Stat Med 1984; 3:35–44; Mantel &amp; Byar, JASA 1974; 69:81–86).
/// </summary>
public static class TimeDependentExposure
{
    /// <summary>
    /// The counting-process rows, by subject in the order given, then by time.
    /// </summary>
    /// <param name="subjects">The subjects. Preconditions: finite times; exposure starts finite when given.</param>
    /// <param name="withoutTime">Subjects with no time after the origin (Time ≤ 0): tmerge gives them no row.</param>
    /// <returns>
    /// Per subject: exposure at or before the origin (≤ 0): one exposed row (0, time]; exposure strictly
    /// inside the follow-up: an unexposed row (0, s] without the event and an exposed row (s, time] with
    /// it; exposure at or after the end of follow-up (an event on the day exposure starts included) or
    /// never: one unexposed row (0, time].
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="subjects"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A time or an exposure start is not finite.</exception>
    public static IReadOnlyList<ExposureInterval> Intervals(IReadOnlyList<ExposureFollowUp> subjects, out IReadOnlyList<string> withoutTime)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        var rows = new List<ExposureInterval>();
        var dropped = new List<string>();
        foreach (var s in subjects)
        {
            if (!double.IsFinite(s.Time) || s.ExposureStart is { } e && !double.IsFinite(e))
            {
                throw new ArgumentOutOfRangeException(nameof(subjects), s.Id, "Times must be finite.");
            }

            if (s.Time <= 0)
            {
                dropped.Add(s.Id);
                continue;
            }

            switch (s.ExposureStart)
            {
                case { } start when start <= 0:
                    rows.Add(new(s.Id, 0, s.Time, s.Event, true));
                    break;
                case { } start when start < s.Time:
                    rows.Add(new(s.Id, 0, start, false, false));
                    rows.Add(new(s.Id, start, s.Time, s.Event, true));
                    break;
                default:
                    rows.Add(new(s.Id, 0, s.Time, s.Event, false));
                    break;
            }
        }

        withoutTime = dropped;
        return rows;
    }
}
