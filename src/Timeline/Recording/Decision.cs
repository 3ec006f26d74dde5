namespace Timeline.Recording;

/// <summary>What a command decides against the current chart: one event to append, or a refusal.</summary>
public sealed record Decision(object? Event, IResult? Refusal)
{
    public static Decision Append(object @event) => new(@event, null);
    public static Decision Refuse(IResult problem) => new(null, problem);
    public static implicit operator Decision(RuleViolation violation) => Refuse(Problems.RuleBroken(violation));
}
