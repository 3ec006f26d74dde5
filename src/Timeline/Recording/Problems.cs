namespace Timeline.Recording;

/// <summary>RFC 9457 problem details for every refusal, each naming the field or rule that failed.</summary>
public static class Problems
{
    public static IResult Invalid(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] },
            detail: message, title: "The request is invalid.");

    public static IResult Invalid(IDictionary<string, string[]> errors) =>
        Results.ValidationProblem(errors, detail: string.Join(" ", errors.SelectMany(e => e.Value)), title: "The request is invalid.");

    public static IResult RuleBroken(RuleViolation violation) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [violation.Field] = [violation.Message] },
            detail: violation.Message, title: "A clinical rule is broken.", type: $"urn:timeline:rule:{violation.Rule}",
            extensions: new Dictionary<string, object?> { ["rule"] = violation.Rule });

    /// <summary>
    /// Soft checks failed and were not overridden: the same 400 as a broken rule, naming each field, plus
    /// <c>overridable: true</c> and <c>softChecks</c>, so a client can offer "record anyway" with a reason.
    /// </summary>
    public static IResult SoftChecksFailed(IReadOnlyList<RuleViolation> failed)
    {
        var errors = failed.GroupBy(v => v.Field).ToDictionary(g => g.Key, g => g.Select(v => v.Message).ToArray());
        var rules = string.Join(", ", failed.Select(v => v.Rule));
        return Results.ValidationProblem(errors,
            detail: string.Join(" ", failed.Select(v => v.Message))
                + $" This is a soft check ({rules}): to record it anyway, resend with \"override\": {{ \"rules\": [\"{failed[0].Rule}\"], \"reason\": \"…\" }}.",
            title: "A soft check failed: it may be overridden with a reason.", type: $"urn:timeline:soft-check:{failed[0].Rule}",
            extensions: new Dictionary<string, object?>
            {
                ["rule"] = failed[0].Rule,
                ["overridable"] = true,
                ["softChecks"] = failed.Select(v => new { rule = v.Rule, field = v.Field, message = v.Message }).ToList(),
            });
    }

    public static IResult UnknownPatient(string patientId) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown patient.",
            detail: $"No patient with id '{patientId}' is enrolled.");

    public static IResult DuplicatePatient(string patientId) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The patient id already exists.",
            detail: $"A patient with id '{patientId}' is already enrolled.",
            extensions: new Dictionary<string, object?> { ["field"] = "patientId" });

    public static IResult VersionMismatch(long expected, long actual) =>
        Results.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "The patient's record has changed.",
            detail: $"If-Match names version {expected} but the stream is at version {actual}: read the timeline again and retry.",
            extensions: new Dictionary<string, object?> { ["field"] = "If-Match", ["currentVersion"] = actual });
}
