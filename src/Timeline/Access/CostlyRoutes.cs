namespace Timeline.Access;

/// <summary>
/// The one place that says which routes are costly, by route template, and bounds them per signed-in user
/// (<see cref="UserLimits"/>): 429 problem with Retry-After past the bound. Runs after <see cref="AccessControl"/>
/// (it needs the user) and before the route and any body is read.
/// </summary>
public sealed class CostlyRoutes(RequestDelegate next, UserLimits limits)
{
    /// <summary>How long a client should wait before trying again: the heavy reads take a second or two.</summary>
    public const int RetryAfterSeconds = 2;

    public async Task InvokeAsync(HttpContext http)
    {
        var user = http.User.Identity?.IsAuthenticated == true ? http.User.Identity.Name : null;
        var template = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        if (user is null || Classify(http.Request.Method, template, http.Request.Query) is not { } work)
        {
            await next(http);
            return;
        }
        using var slot = await limits.TryEnterAsync(user, work, http.RequestAborted);
        // Heavy reads also take a place in the app-wide line (UserLimits.Everyone), once the user's own bound allows.
        using var shared = slot is not null && work == CostlyWork.HeavyRead
            ? await limits.TryEnterAsync(UserLimits.Everyone, work, http.RequestAborted) : null;
        if (slot is null || (work == CostlyWork.HeavyRead && shared is null))
        {
            http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await AccessProblems.TooManyAtOnce(user, work, limits.LimitOf(work), RetryAfterSeconds).ExecuteAsync(http);
            return;
        }
        await next(http);
    }

    /// <summary>Which bound a request counts against, or null for the ordinary routes (recordings, one patient's reads).</summary>
    public static CostlyWork? Classify(string method, string? template, IQueryCollection query)
    {
        var route = (template ?? "").TrimEnd('/');
        if (HttpMethods.IsPost(method)) return route == "/api/import" ? CostlyWork.Import : null;
        if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method)) return null;
        return route switch
        {
            // A past asOf reads every patient's state valid then from the read model; now is its in-memory copy.
            "/api/analyses/overall-survival" or "/api/analyses/time-to-progression" or "/api/analyses/response"
                or "/api/analyses/cohort" or "/api/analyses/patients"
                or "/api/analyses/overall-survival/time-dependent" or "/api/analyses/overall-survival/time-dependent/intervals"
                or "/api/analyses/overall-survival/landmark" or "/api/analyses/overall-survival/rmst" or "/api/analyses/overall-survival/log-rank"
                when query.ContainsKey("asOf") => CostlyWork.HeavyRead,
            // An explain list as of a past time, or unpaged (a part of a figure may hold most of the cohort).
            "/api/analyses/overall-survival/patients" or "/api/analyses/time-to-progression/patients"
                or "/api/analyses/response/patients" or "/api/analyses/cohort/patients"
                when query.ContainsKey("asOf") || !query.ContainsKey("limit") => CostlyWork.HeavyRead,
            "/api/analyses/runs/{a}/diff/{b}" => CostlyWork.HeavyRead,
            // The whole list in one answer (a paged list, ?limit= or ?after=, costs one page).
            "/api/patients" when !query.ContainsKey("limit") && !query.ContainsKey("after") => CostlyWork.HeavyRead,
            _ => null,
        };
    }
}
