using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Timeline.Access;
using Timeline.Tests.Api;
using Xunit.Abstractions;

namespace Timeline.Tests.Access;

/// <summary>The table in AccessPolicy.cs is the whole policy: every route of the app is in it.</summary>
public sealed class AccessPolicyTests(ApiFixture fixture, ITestOutputHelper output) : ApiTest(fixture)
{
    [Fact]
    public void Every_route_of_the_app_is_in_the_access_table()
    {
        var routes = Host.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => (Method: m, Route: e.RoutePattern.RawText)))
            .Distinct().OrderBy(r => r.Route, StringComparer.Ordinal).ToList();
        foreach (var (method, route) in routes)
        {
            var rule = AccessPolicy.Find(method, route);
            output.WriteLine($"{method,-5} {route,-55} {Describe(rule)}");
        }
        routes.Where(r => AccessPolicy.Find(r.Method, r.Route) is null).ShouldBeEmpty("routes missing from Access/AccessPolicy.cs");
    }

    static string Describe(RouteAccess? rule) => rule switch
    {
        null => "MISSING (admin only)",
        { Anonymous: true } => "anyone",
        { AnySignedIn: true } => "any signed-in user",
        _ => string.Join(", ", rule.Roles.Append(Role.Admin).Select(r => r.ToString().ToLowerInvariant())),
    };
}
