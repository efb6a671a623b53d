namespace MiniGptMed.Dicom.Imaging;

/// <summary>
/// The Image Pixel module attributes (PS3.3 C.7.6.3) that say how to read Pixel Data (7FE0,0010):
/// everything a decoder needs, independent of how the data set was parsed.
/// </summary>
public sealed record PixelDataInfo
{
    /// <summary>Upper bound on one frame's sample count (65535 x 65535 x 3 would not fit an array anyway).</summary>
    internal const long MaxSamplesPerFrame = 1L << 29;

    public required int Rows { get; init; }

    public required int Columns { get; init; }

    public int SamplesPerPixel { get; init; } = 1;

    public required int BitsAllocated { get; init; }

    public required int BitsStored { get; init; }

    public required int HighBit { get; init; }

    /// <summary>Pixel Representation (0028,0103): true for two's complement samples.</summary>
    public bool IsSigned { get; init; }

    /// <summary>Planar Configuration (0028,0006): 0 = R1G1B1R2..., 1 = all R then all G then all B.</summary>
    public int PlanarConfiguration { get; init; }

    public PhotometricInterpretation Photometric { get; init; } = PhotometricInterpretation.Monochrome2;

    public int NumberOfFrames { get; init; } = 1;

    /// <summary>Named in error messages.</summary>
    public string? SopInstanceUid { get; init; }

    public long PixelsPerFrame => (long)Rows * Columns;

    public long SamplesPerFrame => PixelsPerFrame * SamplesPerPixel;

    /// <summary>Bits of one native frame; 1-bit frames are not byte aligned (PS3.5 8.1.1).</summary>
    public long NativeBitsPerFrame =>
        Photometric == PhotometricInterpretation.YbrFull422
            ? PixelsPerFrame * 2 * BitsAllocated // PS3.3 C.7.6.3.1.2: two Y, one Cb, one Cr per two pixels
            : SamplesPerFrame * BitsAllocated;

    public long NativeBytesPerFrame => (NativeBitsPerFrame + 7) / 8;

    /// <summary>Bytes of all native frames, before the even-length padding (PS3.5 8.1.1).</summary>
    public long NativeBytesAllFrames => (NativeBitsPerFrame * NumberOfFrames + 7) / 8;

    /// <summary>Smallest stored value (after masking and sign extension).</summary>
    public int MinStoredValue => IsSigned ? (BitsStored >= 32 ? int.MinValue : -(1 << (BitsStored - 1))) : 0;

    /// <summary>Largest stored value; for 32-bit unsigned capped at int.MaxValue (the decoded sample type).</summary>
    public long MaxStoredValue => IsSigned ? (1L << (BitsStored - 1)) - 1 : (1L << BitsStored) - 1;

    /// <summary>Checks the attributes against PS3.3 C.7.6.3 and the limits of this decoder.</summary>
    public void Validate()
    {
        if (Rows <= 0 || Columns <= 0)
        {
            Fail($"Rows ({Rows}) and Columns ({Columns}) must be positive");
        }

        if (Rows > 65535 || Columns > 65535)
        {
            Fail($"Rows ({Rows}) or Columns ({Columns}) exceed the US range");
        }

        if (BitsAllocated is not (1 or 8 or 16 or 32))
        {
            Fail($"Bits Allocated {BitsAllocated} is not supported (1, 8, 16 or 32)");
        }

        if (BitsStored < 1 || BitsStored > BitsAllocated)
        {
            Fail($"Bits Stored {BitsStored} must be between 1 and Bits Allocated {BitsAllocated}");
        }

        if (HighBit < BitsStored - 1 || HighBit >= BitsAllocated)
        {
            Fail($"High Bit {HighBit} must lie between Bits Stored - 1 ({BitsStored - 1}) and Bits Allocated - 1 ({BitsAllocated - 1})");
        }

        if (SamplesPerPixel != Photometric.SamplesPerPixel)
        {
            Fail($"Samples per Pixel {SamplesPerPixel} does not match Photometric Interpretation {Photometric}");
        }

        if (PlanarConfiguration is not (0 or 1))
        {
            Fail($"Planar Configuration {PlanarConfiguration} must be 0 or 1");
        }

        if (NumberOfFrames < 1)
        {
            Fail($"Number of Frames {NumberOfFrames} must be at least 1");
        }

        if (SamplesPerFrame > MaxSamplesPerFrame)
        {
            Fail($"A frame of {Rows} x {Columns} x {SamplesPerPixel} samples is larger than this node decodes");
        }

        if (Photometric == PhotometricInterpretation.YbrFull422 && Columns % 2 != 0)
        {
            Fail($"YBR_FULL_422 needs an even number of Columns, got {Columns}");
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    internal void Fail(string problem) => throw new DicomImagingException(problem, SopInstanceUid);
}
