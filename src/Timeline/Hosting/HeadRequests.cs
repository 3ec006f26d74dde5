namespace Timeline.Hosting;

/// <summary>
/// HEAD wherever GET is allowed (RFC 9110 §9.3.2): monitors and proxies probe with it. The request runs as the GET
/// it stands for, before routing, so it meets the same route, the same access rule (401/403) and the same
/// limits, and the same headers are answered; the body is dropped.
/// </summary>
public sealed class HeadRequests(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http)
    {
        if (!HttpMethods.IsHead(http.Request.Method))
        {
            await next(http);
            return;
        }
        http.Request.Method = HttpMethods.Get;
        var body = http.Response.Body;
        http.Response.Body = Stream.Null;
        try
        {
            await next(http);
        }
        finally
        {
            http.Response.Body = body;
            http.Request.Method = HttpMethods.Head;
        }
    }
}
