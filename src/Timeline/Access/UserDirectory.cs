using System.Security.Claims;
using System.Text.RegularExpressions;
using Marten;

namespace Timeline.Access;

/// <summary>A token as issued: the only moment its value exists outside the client.</summary>
public sealed record IssuedToken(string Name, IReadOnlyList<Role> Roles, string Token);

/// <summary>The users and their tokens, in the event store's database.</summary>
public sealed partial class UserDirectory(IDocumentStore store, TimeProvider clock)
{
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")]
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
        return true;
    }

    /// <summary>The active user holding this token, or null (unknown, malformed or revoked).</summary>
    public async Task<ApiUser?> FindByTokenAsync(string? token, CancellationToken ct = default)
    {
        if (!Tokens.IsWellFormed(token)) return null;
        var hash = Tokens.Hash(token!);
        await using var session = store.QuerySession();
        var user = await session.Query<ApiUser>().Where(u => u.TokenHash == hash).FirstOrDefaultAsync(ct);
        return user is { IsActive: true } && Tokens.Matches(token!, user.TokenHash) ? user : null;
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
