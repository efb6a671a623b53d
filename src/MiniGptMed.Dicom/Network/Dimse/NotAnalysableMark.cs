using Microsoft.Win32.SafeHandles;

namespace MiniGptMed.Dicom.Network.Dimse;

/// <summary>
/// The mark of an instance kept although its Pixel Data does not fit its Image Pixel module
/// (<see cref="FileSystemStoreOptions.KeepUnfitPixelData"/>): 16 ASCII bytes <c>MGMD-UNFIT-PIXEL</c> at offset 24 of
/// the 128-byte File Preamble, beside the seal (bytes 0-23, <see cref="InstanceSeal"/>). PS3.10 7.1 leaves the
/// preamble to implementations, the seal's hash starts after it, and the mark travels with the file through the
/// rename and recovery: no second file to keep in step. Other readers ignore the preamble.
/// </summary>
public static class NotAnalysableMark
{
    private const int Offset = 24;

    private static ReadOnlySpan<byte> Mark => "MGMD-UNFIT-PIXEL"u8;

    /// <summary>Whether the stored instance at <paramref name="path"/> is marked not analysable.</summary>
    public static bool IsMarked(string path)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        Span<byte> bytes = stackalloc byte[16];
        return RandomAccess.Read(file, bytes, Offset) == bytes.Length && bytes.SequenceEqual(Mark);
    }

    internal static void WriteTo(SafeFileHandle file) => RandomAccess.Write(file, Mark, Offset);
}
