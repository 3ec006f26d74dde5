using Microsoft.AspNetCore.Http.Features;

namespace Timeline.Access;

/// <summary>
/// Every request to a route passes here before the route runs: the route's rule from <see cref="AccessPolicy"/>,
/// the bearer token (401 when missing, unknown or revoked), the role (403), the body limit (413), the body's
/// content type (415: a JSON route reads only a body declared as JSON). A refused
/// request never reaches the route, so nothing is written. Anonymous routes never look at tokens, so they
/// answer even while the database is down.
/// </summary>
public sealed class AccessControl(RequestDelegate next, UserDirectory users)
{
    public async Task InvokeAsync(HttpContext http)
    {
        if (http.GetEndpoint() is not RouteEndpoint endpoint)
        {
            await next(http); // no route: a static file was already served, or this is a 404
            return;
        }
        var rule = AccessPolicy.For(http.Request.Method, endpoint.RoutePattern.RawText);

        if (!rule.Anonymous)
        {
            var token = Tokens.FromHeader(http.Request);
            var user = await users.FindByTokenAsync(token, http.RequestAborted);
            if (user is null)
            {
                http.Response.Headers.WWWAuthenticate = token is null ? "Bearer" : "Bearer error=\"invalid_token\"";
                await AccessProblems.SignInRequired(token is not null).ExecuteAsync(http);
                return;
            }
            http.User = UserDirectory.Principal(user);
            if (!rule.Allows(user.Roles))
            {
                await AccessProblems.Forbidden(user.Name, rule).ExecuteAsync(http);
                return;
            }
        }

        if (rule.JsonBody && (http.Request.ContentType is not null || HasBody(http.Request)) && !IsJson(http.Request.ContentType))
        {
            await AccessProblems.NotJson(http.Request.ContentType).ExecuteAsync(http);
            return;
        }
        if (!LimitBody(http, rule.MaxBodyBytes))
        {
            await AccessProblems.TooLarge(rule.MaxBodyBytes!.Value).ExecuteAsync(http);
            return;
        }
        await next(http);
    }

    static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);

    static bool IsJson(string? contentType) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.MediaType.Value?.EndsWith("+json", StringComparison.OrdinalIgnoreCase) == true);

    /// <summary>False when the declared length is already too large; otherwise reading past the limit throws a 413.</summary>
    static bool LimitBody(HttpContext http, long? limit)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = limit;
        if (limit is not { } max) return true;
        if (http.Request.ContentLength > max) return false;
        http.Request.Body = new LimitedBodyStream(http.Request.Body, max);
        return true;
    }
}
