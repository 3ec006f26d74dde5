using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Marten;

namespace Timeline.Access;

/// <summary>A token as issued: the only moment its value exists outside the client.</summary>
public sealed record IssuedToken(string Name, IReadOnlyList<Role> Roles, string Token);

/// <summary>The users and their tokens, in the event store's database.</summary>
public sealed partial class UserDirectory(IDocumentStore store, TimeProvider clock)
{
    /// <summary>
    /// How long a token found in the database is believed without asking again. Every request needs its user, and
    /// the lookup was a database round trip and a LINQ query per request (an eighth of the app's CPU under 8
    /// recording clients). A revocation in this process takes effect at once (the entry is dropped); one made by
    /// another process (the users command) within this time.
    /// </summary>
    public static readonly TimeSpan TokenCacheLifetime = TimeSpan.FromSeconds(5);

    readonly ConcurrentDictionary<string, (ApiUser User, DateTimeOffset Until)> recentTokens = new();

    /// <summary>A user name, whole string only (\z: $ would let a final newline through), ASCII only, as patient ids.</summary>
    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9._@-]{0,63}\z")]
    public static partial Regex NamePattern();

    /// <summary>Adds a user (or gives a revoked one a new token and roles); null when an active user has that name.</summary>
    public async Task<IssuedToken?> AddAsync(string name, IReadOnlyCollection<Role> roles, string? issuedBy, CancellationToken ct = default)
    {
        if (!NamePattern().IsMatch(name))
            throw new ArgumentException("A user name is 1–64 letters, digits, '.', '_', '-' or '@', starting with a letter or digit.", nameof(name));
        if (roles.Count == 0) throw new ArgumentException("A user needs at least one role.", nameof(roles));

        await using var session = store.LightweightSession();
        var existing = await session.LoadAsync<ApiUser>(name, ct);
        if (existing is { IsActive: true }) return null;
        var token = Tokens.New();
        var user = new ApiUser
        {
            Name = name, Roles = [.. roles.Distinct().Order()], TokenHash = Tokens.Hash(token),
            IssuedAt = clock.GetUtcNow(), IssuedBy = issuedBy,
        };
        if (existing is null) session.Insert(user); else session.Store(user);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (JasperFx.DocumentAlreadyExistsException)
        {
            return null; // added by someone else at the same moment
        }
        return new IssuedToken(name, user.Roles, token);
    }

    public async Task<IReadOnlyList<ApiUser>> ListAsync(CancellationToken ct = default)
    {
        await using var session = store.QuerySession();
        return await session.Query<ApiUser>().OrderBy(u => u.Name).ToListAsync(ct);
    }

    /// <summary>Revokes the user's token at once; false when there is no active user of that name.</summary>
    public async Task<bool> RevokeAsync(string name, CancellationToken ct = default)
    {
        await using var session = store.LightweightSession();
        var user = await session.LoadAsync<ApiUser>(name, ct);
        if (user is not { IsActive: true }) return false;
        user.RevokedAt = clock.GetUtcNow();
        session.Store(user);
        await session.SaveChangesAsync(ct);
        recentTokens.TryRemove(user.TokenHash, out _);
        return true;
    }

    /// <summary>The active user holding this token, or null (unknown, malformed or revoked).</summary>
    public async Task<ApiUser?> FindByTokenAsync(string? token, CancellationToken ct = default)
    {
        if (!Tokens.IsWellFormed(token)) return null;
        var hash = Tokens.Hash(token!);
        var now = clock.GetUtcNow();
        if (recentTokens.TryGetValue(hash, out var recent) && recent.Until > now) return recent.User;

        await using var session = store.QuerySession();
        var user = await session.Query<ApiUser>().Where(u => u.TokenHash == hash).FirstOrDefaultAsync(ct);
        if (user is not { IsActive: true } || !Tokens.Matches(token!, user.TokenHash))
        {
            recentTokens.TryRemove(hash, out _);
            return null; // unknown and revoked tokens are never cached: each such request asks the database
        }
        if (recentTokens.Count > 10_000) recentTokens.Clear(); // bounded: a cache of active users, not of guesses
        recentTokens[hash] = (user, now + TokenCacheLifetime);
        return user;
    }

    /// <summary>The signed-in principal: its name is what the history records as recordedBy.</summary>
    public static ClaimsPrincipal Principal(ApiUser user)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, user.Name) };
        claims.AddRange(user.Roles.Select(r => new Claim(ClaimTypes.Role, r.ToString().ToLowerInvariant())));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "Bearer"));
    }

    public static IReadOnlyList<Role> RolesOf(ClaimsPrincipal user) =>
        user.FindAll(ClaimTypes.Role).Select(c => Enum.TryParse<Role>(c.Value, ignoreCase: true, out var r) ? (Role?)r : null)
            .OfType<Role>().ToList();
}
