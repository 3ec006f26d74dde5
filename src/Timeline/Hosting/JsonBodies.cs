using System.Text.Json;
using Microsoft.Extensions.Options;
using Timeline.Recording;
using Wolverine.Http;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Timeline.Hosting;

/// <summary>
/// Reads a route's JSON body once with the app's own options before the route runs, so that a body the
/// serializer refuses (malformed, a key given twice, "line": "1", a list where an object belongs) is the app's
/// 400 problem naming the field. Wolverine would answer its own problem, whose detail carries .NET type names
/// ("Timeline.Recording.EnrolPatient"). Bodies here are small (64 KiB at most, AccessControl): reading twice costs little.
/// </summary>
public sealed class JsonBodies(RequestDelegate next, IOptions<JsonOptions> json)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var requestType = (http.GetEndpoint()?.Metadata.GetMetadata<HttpChain>())?.RequestType;
        if (requestType is null || requestType == typeof(void) || !HttpMethods.IsPost(http.Request.Method))
        {
            await next(http);
            return;
        }

        http.Request.EnableBuffering(bufferThreshold: 64 * 1024);
        try
        {
            if (http.Request.ContentLength != 0)
                await JsonSerializer.DeserializeAsync(http.Request.Body, requestType, json.Value.SerializerOptions, http.RequestAborted);
        }
        catch (JsonException e)
        {
            await Problems.Invalid(JsonErrors.FieldOf(e) ?? "body", JsonErrors.Describe(e)).ExecuteAsync(http);
            return;
        }
        http.Request.Body.Position = 0;
        await next(http);
    }
}
