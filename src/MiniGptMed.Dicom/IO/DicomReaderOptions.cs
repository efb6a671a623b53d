using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.IO;

/// <summary>Limits and choices of the Part 10 and data set readers.</summary>
public sealed record DicomReaderOptions
{
    public static DicomReaderOptions Default { get; } = new();

    /// <summary>
    /// Values at least this long stay in their file (read on demand) when reading from a path.
    /// 64 KiB keeps every header element in memory and every pixel data value on disk.
    /// </summary>
    public int LargeValueThreshold { get; init; } = 64 * 1024;

    /// <summary>
    /// Deepest sequence nesting accepted. Real data sets nest a handful of levels (SR trees a dozen or
    /// so); 128 bounds the recursion far below the stack limit.
    /// </summary>
    public int MaxDepth { get; init; } = 128;

    /// <summary>Stop reading the top-level data set before this tag (for example Pixel Data, to read headers only).</summary>
    public DicomTag? StopBeforeTag { get; init; }

    /// <summary>
    /// PS3.5 6.2.2: a UN element whose tag the dictionary knows is given its real VR (a known SQ is parsed
    /// as an implicit VR little endian sequence), as DCMTK and pydicom do.
    /// </summary>
    public bool ReplaceUnknownVR { get; init; } = true;

    /// <summary>
    /// Reject what the standard forbids but readers commonly accept (odd value lengths, a VR encoding
    /// other than the declared one) instead of reading it with a warning.
    /// </summary>
    public bool Strict { get; init; }

    /// <summary>Longest value read into memory when it cannot stay in a file (a deflated data set, a stream).</summary>
    public long MaxInMemoryValueLength { get; init; } = int.MaxValue;
}
