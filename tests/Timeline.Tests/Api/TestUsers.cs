using Marten;
using Marten.Schema;
using Timeline.Access;

namespace Timeline.Tests.Api;

/// <summary>
/// The test host's users, one per role plus a revoked one, with tokens made for this test run. They are
/// Marten's initial data, so every data reset (before each test) puts them back.
/// </summary>
public sealed class TestUsers : IInitialData
{
    /// <summary>The user of the shared HttpClient: admin, so every route answers; its name is what recordedBy shows.</summary>
    public const string AdminName = "dr.recorder";

    public static readonly IReadOnlyList<Role> AllRoles = Enum.GetValues<Role>();

    public string Admin { get; } = Tokens.New();
    public string Recorder { get; } = Tokens.New();
    public string Auditor { get; } = Tokens.New();
    public string Analyst { get; } = Tokens.New();
    public string Investigator { get; } = Tokens.New();
    public string Revoked { get; } = Tokens.New();

    public string TokenOf(Role role) => role switch
    {
        Role.Recorder => Recorder,
        Role.Auditor => Auditor,
        Role.Analyst => Analyst,
        Role.Investigator => Investigator,
        _ => Admin,
    };

    public static string NameOf(Role role) => role == Role.Admin ? AdminName : $"test-{role.ToString().ToLowerInvariant()}";

    public async Task Populate(IDocumentStore store, CancellationToken cancellation)
    {
        await using var session = store.LightweightSession();
        foreach (var role in AllRoles) session.Store(User(NameOf(role), TokenOf(role), role));
        var revoked = User("test-revoked", Revoked, Role.Admin);
        revoked.RevokedAt = DateTimeOffset.UtcNow;
        session.Store(revoked);
        await session.SaveChangesAsync(cancellation);
    }

    static ApiUser User(string name, string token, Role role) =>
        new() { Name = name, Roles = [role], TokenHash = Tokens.Hash(token), IssuedAt = DateTimeOffset.UtcNow, IssuedBy = "tests" };
}
