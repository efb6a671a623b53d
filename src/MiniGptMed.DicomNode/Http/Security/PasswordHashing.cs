using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MiniGptMed.DicomNode.Http.Security;

/// <summary>
/// Passwords as PBKDF2-HMAC-SHA256 (NIST SP 800-132) with a 128-bit random salt and 600,000 iterations (OWASP Password
/// Storage Cheat Sheet, 2023, for SHA-256), stored as <c>pbkdf2-sha256$ITERATIONS$SALT$HASH</c> (base64), so a later
/// count can be read beside older hashes.
/// </summary>
public static class PasswordHashing
{
    public const int Iterations = 600_000;

    /// <summary>NIST SP 800-63B 5.1.1.2 asks for at least 8; a console that can change where studies go asks for more.</summary>
    public const int MinimumLength = 12;

    public const int MaximumLength = 1024;

    private const string Scheme = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    /// <summary>Null when the password is acceptable, else why not.</summary>
    public static string? Check(string password) =>
        password.Length < MinimumLength ? $"is shorter than {MinimumLength} characters."
        : password.Length > MaximumLength ? $"is longer than {MaximumLength} characters."
        : null;

    public static string Hash(string password) => Hash(password, RandomNumberGenerator.GetBytes(SaltBytes), Iterations);

    public static bool Verify(string password, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations is < 1 or > 100_000_000
            || password.Length > MaximumLength)
        {
            return false;
        }

        byte[] salt, expected;
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            expected = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>A hash to verify against when the user does not exist, so the answer takes as long as for a real user.</summary>
    public static readonly string Decoy = Hash("decoy password, never valid", new byte[SaltBytes], Iterations);

    private static string Hash(string password, byte[] salt, int iterations)
    {
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Create(CultureInfo.InvariantCulture, $"{Scheme}${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }
}
