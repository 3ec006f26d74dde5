using Wolverine.Http;

namespace Timeline.Access;

/// <summary>The signed-in user and the roles it holds, for a client that wants to show who is signed in.</summary>
public sealed record CurrentUser(string Name, IReadOnlyList<string> Roles);

public static class WhoAmIEndpoint
{
    [WolverineGet("/api/me", OperationId = "WhoAmI")]
    public static CurrentUser Get(HttpContext http) =>
        new(http.User.Identity?.Name ?? "", UserDirectory.RolesOf(http.User).Select(r => r.ToString().ToLowerInvariant()).ToList());
}
