using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Timeline.Recording;

namespace Timeline.Tests.Rules;

/// <summary>
/// Every refusal is checked by the field it names and the rule it cites, so a rule that fires on the wrong
/// field (or a different rule that happens to refuse the same fact) fails the test.
/// </summary>
internal static class RuleAssertions
{
    public static void ShouldBreak(this RuleViolation? violation, string field, string rule)
    {
        violation.ShouldNotBeNull($"expected rule '{rule}' on '{field}', but the fact was admitted");
        (violation.Field, violation.Rule).ShouldBe((field, rule), violation.Message);
    }

    public static void ShouldBeAdmitted(this RuleViolation? violation) =>
        violation.ShouldBeNull(violation is null ? null : $"refused: {violation.Field} {violation.Rule}: {violation.Message}");

    /// <summary>The one field a refused decision names, the rule it cites (null for a plain 400) and its sentence.</summary>
    public static (string Field, string? Rule, string Message) ShouldBeRefused(this Decision decision)
    {
        decision.Event.ShouldBeNull();
        decision.Refusal.ShouldNotBeNull();
        var problem = decision.Refusal switch
        {
            ProblemHttpResult p => p.ProblemDetails,
            ValidationProblem v => v.ProblemDetails,
            var other => throw new ShouldAssertException($"unexpected refusal {other.GetType().Name}"),
        };
        var errors = problem.ShouldBeOfType<HttpValidationProblemDetails>().Errors;
        var (field, messages) = errors.ShouldHaveSingleItem();
        var rule = problem.Extensions.TryGetValue("rule", out var r) ? r as string : null;
        return (field, rule, messages.ShouldHaveSingleItem());
    }

    public static T ShouldAppend<T>(this Decision decision)
    {
        decision.Refusal.ShouldBeNull(decision.Refusal is null ? null : Describe(decision.Refusal));
        return decision.Event.ShouldBeOfType<T>();
    }

    static string Describe(IResult refusal) => refusal switch
    {
        ProblemHttpResult p => $"refused: {p.ProblemDetails.Detail}",
        ValidationProblem v => $"refused: {v.ProblemDetails.Detail}",
        _ => $"refused: {refusal.GetType().Name}",
    };
}
