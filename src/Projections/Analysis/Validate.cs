namespace Timeline.Projections.Analysis;

/// <summary>Shared precondition checks of the analysis functions.</summary>
internal static class Validate
{
    internal static void Time(double time, string parameter)
    {
        if (!double.IsFinite(time) || time < 0)
        {
            throw new ArgumentOutOfRangeException(parameter, time, "Follow-up times must be finite and non-negative.");
        }
    }

    internal static void Level(double level)
    {
        if (!(level > 0 && level < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "The confidence level must be strictly between 0 and 1.");
        }
    }
}
