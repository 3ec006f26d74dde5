using System.Text.Json;
using Timeline.Projections.Events;

namespace Timeline.Recording;

/// <summary>What a recorder sends to override soft checks: the rules by name and why (required).</summary>
public sealed record OverrideRequest(IReadOnlyList<string?>? Rules, string? Reason);

/// <summary>
/// The body of every clinical fact's route (not enrolment): its own fields, read by <see cref="Read"/>, and the two
/// members every such body shares: <c>missing</c> (why optional fields are empty) and <c>override</c> (the soft
/// checks a recorder overrides, with a reason). The route, a correction's replacement and the import all read a
/// body through <see cref="ToFact"/>, so all three accept and check them alike.
/// </summary>
public abstract record FactRequest : IFactRequest
{
    /// <summary>One <c>{ "field", "reason" }</c> object or a list of them (<see cref="MissingReasons"/>).</summary>
    public JsonElement? Missing { get; init; }

    public OverrideRequest? Override { get; init; }

    /// <summary>The fact from the route's own fields.</summary>
    protected abstract ClinicalFact Read(FieldErrors errors);

    /// <summary>The optional fields of this body (API.md's "?" fields), each with whether it was given a value.</summary>
    protected virtual IEnumerable<(string Field, bool Given)> OptionalFields => [];

    public ClinicalFact ToFact(FieldErrors errors)
    {
        var fact = Read(errors);
        var missing = MissingFields.Read(Missing, OptionalFields.ToList(), FactKinds.Of(fact), errors);
        var overridden = SoftChecks.ReadOverride(Override, errors);
        return missing is null && overridden is null ? fact : fact with { Missing = missing, Override = overridden };
    }
}
