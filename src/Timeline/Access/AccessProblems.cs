namespace Timeline.Access;

/// <summary>RFC 9457 answers for refusals that happen before any route runs.</summary>
public static class AccessProblems
{
    public static IResult SignInRequired(bool tokenPresented) =>
        Results.Problem(statusCode: StatusCodes.Status401Unauthorized,
            title: tokenPresented ? "The token is not valid." : "Sign-in required.",
            detail: tokenPresented
                ? "The bearer token is unknown or revoked. Ask an administrator for a new one."
                : "Send the header Authorization: Bearer <token>. An administrator issues tokens with `users add NAME --role ROLE`.",
            extensions: new Dictionary<string, object?> { ["field"] = "Authorization" });

    public static IResult Forbidden(string user, RouteAccess rule) =>
        Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed for your role.",
            detail: $"{user} may not {rule.Method} {rule.Route}; it needs the role {Needed(rule)}.",
            extensions: new Dictionary<string, object?> { ["field"] = "Authorization" });

    public static IResult TooLarge(long limit) =>
        Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The body is too large.",
            detail: $"This route accepts at most {limit} bytes. Nothing was recorded.",
            extensions: new Dictionary<string, object?> { ["field"] = "body" });

    public static IResult NotJson(string? contentType) =>
        Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "The body must be JSON.",
            detail: $"Send the body with Content-Type: application/json{(string.IsNullOrEmpty(contentType) ? " (none was given)" : $", not {contentType}")}. Nothing was recorded.",
            extensions: new Dictionary<string, object?> { ["field"] = "Content-Type" });

    /// <summary>So many recorders appended to one patient at once that this one lost every race: nothing written, retry.</summary>
    public static IResult TooBusy(int attempts) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The patient's record is busy.",
            detail: $"Other recorders appended to this patient {attempts} times while this fact was being decided. Nothing was recorded; retry.",
            extensions: new Dictionary<string, object?> { ["field"] = "patientId" });

    public static IResult TooManyAtOnce(string user, CostlyWork work, int limit, int retryAfterSeconds) =>
        Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many costly requests at once.",
            detail: $"{user} already has {limit} {(work == CostlyWork.Import ? "import" : "heavy read")}{(limit == 1 ? "" : "s")} running, the most allowed at once"
                + (work == CostlyWork.Import ? ". " : ", and others waiting. ")
                + $"Nothing was done; retry in {retryAfterSeconds} s, once one has finished.",
            extensions: new Dictionary<string, object?> { ["rule"] = work == CostlyWork.Import ? "imports-per-user" : "heavy-reads-per-user" });

    static string Needed(RouteAccess rule) =>
        string.Join(" or ", rule.Roles.Append(Role.Admin).Distinct().Select(r => r.ToString().ToLowerInvariant()));
}
