using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace MiniGptMed.Dicom.Data;

/// <summary>
/// Deterministic UIDs: the same namespace and parts always give the same UID, so an object written
/// twice from the same input carries the same UIDs (a PACS then holds one copy, not two). The UID is
/// 2.25.&lt;UUID as an unsigned decimal&gt; (PS3.5 B.2) of a name-based version 5 UUID (RFC 9562 5.5:
/// SHA-1 over the namespace UUID and the name), at most 44 characters.
/// </summary>
public static class DicomNameBasedUid
{
    /// <summary>
    /// The UID for <paramref name="parts"/> in <paramref name="namespaceId"/>. The parts are joined
    /// unambiguously (each as a netstring, "&lt;UTF-8 length&gt;:&lt;part&gt;,"), so ["ab", "c"] and
    /// ["a", "bc"] give different UIDs; order matters.
    /// </summary>
    public static string Create(Guid namespaceId, params IEnumerable<string> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var name = new StringBuilder();
        foreach (var part in parts)
        {
            ArgumentNullException.ThrowIfNull(part);
            name.Append(Encoding.UTF8.GetByteCount(part).ToString(CultureInfo.InvariantCulture)).Append(':').Append(part).Append(',');
        }

        return FromUuid(UuidV5(namespaceId, Encoding.UTF8.GetBytes(name.ToString())));
    }

    /// <summary>The RFC 9562 version 5 UUID of <paramref name="name"/> (bytes) in <paramref name="namespaceId"/>.</summary>
    public static Guid UuidV5(Guid namespaceId, ReadOnlySpan<byte> name)
    {
        // RFC 9562 5.5: SHA-1 over the namespace ID in network byte order, then the name.
        var input = new byte[16 + name.Length];
        if (!namespaceId.TryWriteBytes(input, bigEndian: true, out _))
        {
            throw new InvalidOperationException("Could not write the namespace UUID.");
        }

        name.CopyTo(input.AsSpan(16));
        Span<byte> hash = stackalloc byte[20];

        // RFC 9562 defines version 5 on SHA-1; it names a value here and protects nothing.
#pragma warning disable CA5350
        SHA1.HashData(input, hash);
#pragma warning restore CA5350
        var uuid = hash[..16];
        uuid[6] = (byte)((uuid[6] & 0x0F) | 0x50); // version 5
        uuid[8] = (byte)((uuid[8] & 0x3F) | 0x80); // variant 10 (RFC 9562 4.1)
        return new Guid(uuid, bigEndian: true);
    }

    /// <summary>PS3.5 B.2: "2.25." and the UUID's 128 bits as one unsigned decimal integer.</summary>
    public static string FromUuid(Guid uuid)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (!uuid.TryWriteBytes(bytes, bigEndian: true, out _))
        {
            throw new InvalidOperationException("Could not write the UUID.");
        }

        var value = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        return "2.25." + value.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>RFC 9562 Appendix A namespace for names that are ISO OIDs (e.g. a UID root).</summary>
    public static Guid OidNamespace { get; } = new("6ba7b812-9dad-11d1-80b4-00c04fd430c8");

    /// <summary>RFC 9562 Appendix A namespace for URLs.</summary>
    public static Guid UrlNamespace { get; } = new("6ba7b811-9dad-11d1-80b4-00c04fd430c8");

    /// <summary>A namespace of one's own: the version 5 UUID of <paramref name="name"/> in <see cref="UrlNamespace"/>.</summary>
    public static Guid NamespaceFor(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return UuidV5(UrlNamespace, Encoding.UTF8.GetBytes(name));
    }
}
