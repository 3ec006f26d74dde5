using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Timeline.Access;

/// <summary>
/// Bearer tokens: 32 random bytes as base64url (43 characters), shown once when issued and stored only as
/// their SHA-256. A salt or a slow hash buys nothing for 256 random bits: nobody can guess one, so the hash
/// only has to be one-way, and a stolen table of hashes signs nobody in.
/// </summary>
public static class Tokens
{
    public const int Length = 43;

    public static string New() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>The stored form: SHA-256 of the token's characters, as lower-case hex.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Compares in constant time, so the time taken says nothing about how much of a guess was right.</summary>
    public static bool Matches(string token, string storedHash)
    {
        Span<byte> presented = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(token), presented);
        if (storedHash.Length != 64) return false;
        var stored = Convert.FromHexString(storedHash);
        return CryptographicOperations.FixedTimeEquals(presented, stored);
    }

    /// <summary>Whether a string has a token's shape (so malformed input never reaches the database).</summary>
    public static bool IsWellFormed(string? value) =>
        value is { Length: Length } && value.All(c => c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_');

    /// <summary>The token of an "Authorization: Bearer &lt;token&gt;" header, or null when there is none.</summary>
    public static string? FromHeader(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return null;
        return header[scheme.Length..].Trim();
    }
}
