namespace Timeline.Hosting;

/// <summary>
/// What runs before anything else, routing included (a startup filter wraps the whole pipeline): the security
/// headers, so every answer has them, and HEAD as GET, which must happen before a route is chosen.
/// </summary>
public sealed class EdgeOfThePipeline : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseMiddleware<SecurityHeaders>();
        app.UseMiddleware<HeadRequests>();
        next(app);
    };
}
