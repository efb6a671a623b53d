using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.Network.Dimse;

/// <summary>
/// Whether Pixel Data (7FE0,0010) fits the Image Pixel module that describes it, checked before Success so that an
/// instance that cannot be shown or analysed is refused when it arrives, not found broken later. Works on attributes
/// already parsed (the head of the data set, or the full parse the store does anyway): no extra read.
/// </summary>
internal static class PixelDataFit
{
    /// <summary>
    /// Native Pixel Data of <paramref name="length"/> bytes: null when it fits, else what is wrong. PS3.5 8.1.1 and
    /// PS3.3 C.7.6.3: Rows x Columns x Samples per Pixel x Number of Frames pixels of Bits Allocated bits each, packed
    /// (so Bits Allocated 1 rounds the whole up to bytes, frames not padded apart), plus one padding byte when that
    /// is odd (PS3.5 7.1.1: values have even length).
    /// </summary>
    public static string? CheckNative(DicomDataset dataset, long length)
    {
        if (Describe(dataset, out var problem) is not { } image)
        {
            return problem;
        }

        var bits = (System.Int128)image.Rows * image.Columns * image.Samples * image.Frames * image.BitsAllocated;
        var expected = (long)((bits + 7) / 8);
        return length == expected || (expected % 2 == 1 && length == expected + 1)
            ? null
            : $"Pixel Data is {length} bytes; {image.Rows}x{image.Columns}x{image.Samples} samples x {image.BitsAllocated} bits x {image.Frames} frame(s) need {expected}{(expected % 2 == 1 ? $" (or {expected + 1} padded)" : string.Empty)}";
    }

    /// <summary>
    /// Encapsulated Pixel Data (PS3.5 A.4): every frame is in one fragment or more, so at least Number of Frames
    /// fragments; a Basic Offset Table, when present, has one entry per frame.
    /// </summary>
    public static string? CheckEncapsulated(DicomDataset dataset, DicomFragmentSequence pixelData)
    {
        if (Describe(dataset, out var problem) is not { } image)
        {
            return problem;
        }

        if (pixelData.Fragments.Count < image.Frames)
        {
            return $"encapsulated Pixel Data has {pixelData.Fragments.Count} fragment(s) for {image.Frames} frame(s)";
        }

        var offsets = pixelData.OffsetTable.Length / 4;
        return offsets == 0 || offsets == image.Frames
            ? null
            : $"the Basic Offset Table has {offsets} entries for {image.Frames} frame(s)";
    }

    private static Image? Describe(DicomDataset dataset, out string? problem)
    {
        try
        {
            // PS3.3 C.7.6.3: Rows, Columns, Samples per Pixel and Bits Allocated are type 1; Number of Frames (C.7.6.6)
            // is absent for single-frame images.
            var image = new Image(
                dataset.GetValueOrDefault(DicomTags.Rows, -1),
                dataset.GetValueOrDefault(DicomTags.Columns, -1),
                dataset.GetValueOrDefault(DicomTags.SamplesPerPixel, -1),
                dataset.GetValueOrDefault(DicomTags.BitsAllocated, -1),
                dataset.GetValueOrDefault(DicomTags.NumberOfFrames, 1));
            problem = image switch
            {
                { Rows: <= 0 } => "Rows is missing or 0",
                { Columns: <= 0 } => "Columns is missing or 0",
                { Samples: <= 0 } => "Samples per Pixel is missing or 0",
                { BitsAllocated: <= 0 } => "Bits Allocated is missing or 0",
                { Frames: <= 0 } => "Number of Frames is 0 or negative",
                _ => null,
            };
            return problem is null ? image : null;
        }
        catch (Exception ex) when (ex is DicomDataException or FormatException or InvalidCastException or OverflowException)
        {
            problem = $"the Image Pixel attributes cannot be read ({ex.GetType().Name})";
            return null;
        }
    }

    private readonly record struct Image(int Rows, int Columns, int Samples, int BitsAllocated, int Frames);
}
