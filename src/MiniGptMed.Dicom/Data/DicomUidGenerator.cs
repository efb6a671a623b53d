using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;

namespace MiniGptMed.Dicom.Data;

/// <summary>Makes new UIDs (PS3.5 9.2), either under the UUID arc 2.25 or under an organisation's root.</summary>
public sealed class DicomUidGenerator
{
    private const int MaxLength = 64;

    // PS3.5 B.2: 2.25. followed by the UUID as one unsigned decimal integer (up to 39 digits).
    private const string UuidRoot = "2.25";

    private readonly string? _root;

    /// <summary>A generator of UIDs under a registered root (e.g. "1.2.826.0.1.3680043.10.123").</summary>
    /// <exception cref="ArgumentException">The root is not a valid UID or leaves no room for a suffix.</exception>
    public DicomUidGenerator(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (!DicomUid.IsValid(root))
        {
            throw new ArgumentException($"UID root '{root}' is not a valid UID (PS3.5 9.1: digits and dots, no leading zeros, at most 64 characters).", nameof(root));
        }

        // At least ".<10 digits>" must fit so that generated UIDs stay unique in practice.
        if (root.Length > MaxLength - 11)
        {
            throw new ArgumentException($"UID root '{root}' is {root.Length} characters long; at most {MaxLength - 11} leave room for a unique suffix.", nameof(root));
        }

        _root = root;
    }

    private DicomUidGenerator()
    {
    }

    /// <summary>A generator whose <see cref="NewUid"/> gives 2.25 UIDs, for when no root is configured.</summary>
    public static DicomUidGenerator UuidBased { get; } = new();

    /// <summary>The root, or null for 2.25 UUID-derived UIDs.</summary>
    public string? Root => _root;

    /// <summary>A new UID 2.25.&lt;random 128-bit UUID as decimal&gt; (PS3.5 B.2).</summary>
    public static string Generate() => UuidUid();

    /// <summary>
    /// A new UID under this generator's root, filled with random digits up to 64 characters
    /// (named NewUid because C# cannot overload the static <see cref="Generate"/> by instance).
    /// </summary>
    public string NewUid() => _root is null ? UuidUid() : RootedUid(_root);

    private static string UuidUid()
    {
        // A version 4 UUID (RFC 4122 4.4) read as one big-endian unsigned 128-bit number.
        Span<byte> bytes = stackalloc byte[16];
        if (!Guid.NewGuid().TryWriteBytes(bytes, bigEndian: true, out _))
        {
            throw new InvalidOperationException("Could not write a GUID.");
        }

        var value = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        return UuidRoot + "." + value.ToString(CultureInfo.InvariantCulture);
    }

    private static string RootedUid(string root)
    {
        // Random decimal digits fill what the root leaves (up to 39, i.e. about 128 bits);
        // the first digit is 1-9 so the component has no leading zero (PS3.5 9.1).
        var digits = Math.Min(MaxLength - root.Length - 1, 39);
        Span<char> suffix = stackalloc char[digits];
        suffix[0] = (char)('1' + RandomNumberGenerator.GetInt32(9));
        for (var i = 1; i < digits; i++)
        {
            suffix[i] = (char)('0' + RandomNumberGenerator.GetInt32(10));
        }

        return string.Concat(root, ".", suffix);
    }
}
