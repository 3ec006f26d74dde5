using Marten;

namespace Timeline.Access;

/// <summary>
/// A person or a program allowed to use the API: a name (what the history shows as recordedBy), its roles,
/// and the hash of its one token. Revoking keeps the user, so names in the history keep their meaning; a
/// revoked user can be added again with a new token.
/// </summary>
public sealed class ApiUser
{
    public string Name { get; set; } = "";
    public List<Role> Roles { get; set; } = [];
    public string TokenHash { get; set; } = "";
    public DateTimeOffset IssuedAt { get; set; }
    public string? IssuedBy { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    public bool IsActive => RevokedAt is null;
}

/// <summary>An idempotent request's first answer, kept so that a retry with the same key gets it again.</summary>
public sealed class IdempotentAnswer
{
    /// <summary>"{user}/{key}": keys are per user, and user names cannot contain '/'.</summary>
    public string Id { get; set; } = "";
    public string RequestHash { get; set; } = "";
    public int Status { get; set; }
    public string? ContentType { get; set; }
    public string Body { get; set; } = "";
    public string? ETag { get; set; }
    public string? Location { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public static class AccessStore
{
    /// <summary>The access documents: users (found by the hash of their token) and idempotent answers.</summary>
    public static StoreOptions ConfigureAccess(this StoreOptions options)
    {
        options.Schema.For<ApiUser>().Identity(u => u.Name).UniqueIndex(u => u.TokenHash);
        options.Schema.For<IdempotentAnswer>();
        return options;
    }
}
