namespace Timeline.Hosting;

/// <summary>
/// The headers every answer carries, set in this one place (before routing, so pages, API answers, problems,
/// 404s and the API page all get them). A browser must not guess a JSON answer is a page (nosniff), leak a
/// study id in the Referer, frame a page to trick a click, or keep patient data in a cache.
/// </summary>
public sealed class SecurityHeaders(RequestDelegate next)
{
    /// <summary>
    /// The web pages: plain ES modules and one style sheet from this origin, no inline script or style (the charts'
    /// rules live in css/site.css and are put into a downloaded SVG only); a PNG download draws that SVG through a
    /// blob: image, and the CSV/SVG downloads are blob: links.
    /// </summary>
    public const string PagePolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
        + "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>The API page (Scalar) configures itself with an inline module script; it fetches only from here.</summary>
    public const string ApiDocsPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
        + "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>An API answer is data, never a document: it may load nothing and be framed by nobody.</summary>
    public const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext http)
    {
        var path = http.Request.Path;
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers.XFrameOptions = "DENY";
            headers.ContentSecurityPolicy = path.StartsWithSegments("/api-docs") ? ApiDocsPolicy
                : IsData(path) ? ApiPolicy
                : PagePolicy;
            // Every API answer may carry patient data (problems name study ids): never stored by a browser or proxy.
            if (IsData(path) || IsProblem(http.Response.ContentType)) headers.CacheControl = "no-store";
            headers.Remove("Server");
            return Task.CompletedTask;
        });
        return next(http);
    }

    static bool IsData(PathString path) =>
        path.StartsWithSegments("/api") || path.StartsWithSegments("/health") || path.StartsWithSegments("/openapi");

    static bool IsProblem(string? contentType) =>
        contentType?.StartsWith("application/problem+json", StringComparison.OrdinalIgnoreCase) == true;
}
