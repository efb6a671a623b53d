using System.Buffers.Binary;

namespace MiniGptMed.Dicom.Data;

/// <summary>
/// The raw bytes of one value, always in little-endian byte order (a big-endian source is swapped on
/// read). Small values live in memory; large ones (pixel data) can stay in their file and are read on
/// demand, so a 1 GB instance does not put 1 GB on the managed heap.
/// </summary>
public abstract class DicomBuffer
{
    public static DicomBuffer Empty { get; } = new MemoryBuffer(ReadOnlyMemory<byte>.Empty);

    public abstract long Length { get; }

    /// <summary>Whether the bytes are held in memory (GetMemory costs nothing).</summary>
    public abstract bool IsInMemory { get; }

    /// <summary>All bytes in memory. For a file-backed value this reads the file range (at most 2 GB).</summary>
    public abstract ReadOnlyMemory<byte> GetMemory();

    /// <summary>Streams the bytes to <paramref name="destination"/> without loading them whole.</summary>
    public void CopyTo(Stream destination) => CopyTo(destination, 1);

    /// <summary>
    /// Streams the bytes, swapping units of <paramref name="swapUnit"/> bytes on the way (for a big
    /// endian output), without loading the value whole.
    /// </summary>
    public abstract void CopyTo(Stream destination, int swapUnit);

    /// <summary>Reads <paramref name="destination"/>.Length bytes starting at <paramref name="offset"/>.</summary>
    public abstract void Read(long offset, Span<byte> destination);

    public static DicomBuffer FromBytes(byte[] bytes) => new MemoryBuffer(bytes);

    public static DicomBuffer FromMemory(ReadOnlyMemory<byte> bytes) => new MemoryBuffer(bytes);
}

/// <summary>A value held in memory.</summary>
public sealed class MemoryBuffer(ReadOnlyMemory<byte> bytes) : DicomBuffer
{
    public override long Length => bytes.Length;

    public override bool IsInMemory => true;

    public override ReadOnlyMemory<byte> GetMemory() => bytes;

    public override void CopyTo(Stream destination, int swapUnit)
    {
        if (swapUnit <= 1)
        {
            destination.Write(bytes.Span);
            return;
        }

        var chunk = new byte[Math.Min(bytes.Length, 64 * 1024)];
        for (var offset = 0; offset < bytes.Length; offset += chunk.Length)
        {
            var n = Math.Min(chunk.Length, bytes.Length - offset);
            bytes.Span.Slice(offset, n).CopyTo(chunk);
            ByteSwap.InPlace(chunk.AsSpan(0, n), swapUnit);
            destination.Write(chunk, 0, n);
        }
    }

    public override void Read(long offset, Span<byte> destination) =>
        bytes.Span.Slice(checked((int)offset), destination.Length).CopyTo(destination);
}

/// <summary>
/// A value that stays in its file: a byte range read when asked for. <paramref name="fileSwapUnit"/> &gt; 1
/// means the file is big endian and units of that size are swapped while reading.
/// </summary>
/// <remarks>
/// The range is only meaningful in the file it was parsed from. A store replaces an instance received again by a
/// rename over the old name, so the same path can name another file with other values at the same offsets. With
/// <paramref name="identity"/> (what <see cref="IO.DicomFileReader"/> passes), every read checks that the file
/// opened is still that one (<see cref="FileIdentity"/>) and throws <see cref="FileReplacedException"/> otherwise,
/// rather than return the new file's bytes as the old value.
/// </remarks>
public sealed class FileBuffer(string path, long offset, long length, int fileSwapUnit = 1, FileIdentity? identity = null) : DicomBuffer
{
    private const int CopyChunk = 1 << 20;

    public string Path { get; } = path;

    public long Offset { get; } = offset;

    public override long Length { get; } = length;

    public override bool IsInMemory => false;

    public override ReadOnlyMemory<byte> GetMemory()
    {
        if (Length > Array.MaxLength)
        {
            throw new InvalidOperationException($"A value of {Length} bytes in '{Path}' is too large to hold in memory; stream it instead.");
        }

        var bytes = GC.AllocateUninitializedArray<byte>((int)Length);
        Read(0, bytes);
        return bytes;
    }

    public override void CopyTo(Stream destination, int swapUnit)
    {
        using var file = Open();
        file.Position = Offset;
        var chunk = new byte[(int)Math.Min(CopyChunk, Math.Max(Length, 1))];
        long remaining = Length;
        while (remaining > 0)
        {
            var n = (int)Math.Min(chunk.Length, remaining);
            file.ReadExactly(chunk, 0, n);
            if (fileSwapUnit != swapUnit)
            {
                // The file's order to little endian, then to the output's order (chunks are unit-aligned).
                ByteSwap.InPlace(chunk.AsSpan(0, n), fileSwapUnit);
                ByteSwap.InPlace(chunk.AsSpan(0, n), swapUnit);
            }

            destination.Write(chunk, 0, n);
            remaining -= n;
        }
    }

    public override void Read(long offset, Span<byte> destination)
    {
        if (offset < 0 || offset + destination.Length > Length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"Range {offset}+{destination.Length} is outside a value of {Length} bytes.");
        }

        using var file = Open();
        file.Position = Offset + offset;
        file.ReadExactly(destination);
        ByteSwap.InPlace(destination, fileSwapUnit);
    }

    private FileStream Open()
    {
        var stream = new FileStream(Path, new FileStreamOptions { Access = FileAccess.Read, Share = FileShare.ReadWrite | FileShare.Delete, BufferSize = 0, Options = FileOptions.SequentialScan });
        if (identity is not null && !identity.Matches(stream.SafeFileHandle))
        {
            stream.Dispose();
            throw new FileReplacedException(Path);
        }

        return stream;
    }
}

/// <summary>Byte swapping of binary units between little and big endian (PS3.5 7.3).</summary>
public static class ByteSwap
{
    public static void InPlace(Span<byte> bytes, int unitSize)
    {
        switch (unitSize)
        {
            case 2:
                var u16 = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(bytes[..(bytes.Length & ~1)]);
                BinaryPrimitives.ReverseEndianness(u16, u16);
                break;
            case 4:
                var u32 = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(bytes[..(bytes.Length & ~3)]);
                BinaryPrimitives.ReverseEndianness(u32, u32);
                break;
            case 8:
                var u64 = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(bytes[..(bytes.Length & ~7)]);
                BinaryPrimitives.ReverseEndianness(u64, u64);
                break;
            default:
                break;
        }
    }
}
