using System.Buffers.Binary;
using System.IO.Hashing;
using Microsoft.Win32.SafeHandles;

namespace MiniGptMed.Dicom.Network.Dimse;

/// <summary>
/// Proof that a temporary file in <c>.incoming</c> was written whole: its length and an XxHash3 of everything after
/// the preamble, written into the first 24 bytes of the 128-byte File Preamble just before the file's fsync.
/// PS3.10 7.1 leaves the preamble to "specific implementations". After a power cut a file whose fsync had not
/// finished may hold any mix of written and unwritten pages (the seal's page among them), so only a seal whose
/// length and hash both match its file shows the instance as it was acknowledged; a parse alone cannot, since a file
/// cut at an element boundary parses.
/// </summary>
internal sealed class InstanceSeal
{
    public const int PreambleLength = 128;

    private static ReadOnlySpan<byte> Magic => "MGMDSEAL"u8;

    private readonly XxHash3 _hash = new();

    /// <summary>Adds bytes written after the preamble, in file order.</summary>
    public void Append(ReadOnlySpan<byte> written) => _hash.Append(written);

    /// <summary>Writes the seal for a file of <paramref name="length"/> bytes into its preamble.</summary>
    public void WriteTo(SafeFileHandle file, long length)
    {
        Span<byte> seal = stackalloc byte[24];
        Magic.CopyTo(seal);
        BinaryPrimitives.WriteInt64LittleEndian(seal[8..], length);
        BinaryPrimitives.WriteUInt64LittleEndian(seal[16..], _hash.GetCurrentHashAsUInt64());
        RandomAccess.Write(file, seal, 0);
    }

    /// <summary>Whether the file at <paramref name="path"/> carries a seal that matches its length and content.</summary>
    public static bool Verify(string path)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var length = RandomAccess.GetLength(file);
        Span<byte> seal = stackalloc byte[24];
        if (length < PreambleLength || RandomAccess.Read(file, seal, 0) != seal.Length || !seal[..8].SequenceEqual(Magic)
            || BinaryPrimitives.ReadInt64LittleEndian(seal[8..]) != length)
        {
            return false;
        }

        var hash = new XxHash3();
        var buffer = new byte[1 << 20];
        for (long offset = PreambleLength; offset < length;)
        {
            var read = RandomAccess.Read(file, buffer, offset);
            if (read == 0)
            {
                return false;
            }

            hash.Append(buffer.AsSpan(0, read));
            offset += read;
        }

        return hash.GetCurrentHashAsUInt64() == BinaryPrimitives.ReadUInt64LittleEndian(seal[16..]);
    }
}
