using System.Security.Cryptography;
using System.Text;

namespace MiniGptMed.DicomNode.Http.Security;

/// <summary>
/// Bearer keys for scripts: <c>mgm_</c> and 256 random bits in base64url (RFC 4648 section 5), shown once. Only their
/// SHA-256 is stored: with 256 bits of entropy a fast hash is as safe as a slow one, and every API call checks one.
/// </summary>
public static class ApiKeys
{
    public const string Prefix = "mgm_";

    public static string Create() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string HashOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Cheap shape check before any database look-up (length bounded: nothing unbounded is hashed).</summary>
    public static bool LooksLikeKey(string key) => key.StartsWith(Prefix, StringComparison.Ordinal) && key.Length is > 40 and < 100;

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
