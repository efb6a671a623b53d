namespace MiniGptMed.Dicom.Imaging;

/// <summary>
/// One frame after decompression and unpacking: samples as integers (masked and sign-extended),
/// interleaved per pixel (R G B R G B ... for colour), rows top to bottom.
/// </summary>
public sealed class DecodedFrame
{
    public DecodedFrame(int rows, int columns, PhotometricInterpretation photometric, int bitsStored, bool isSigned, int[] samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(photometric);
        if ((long)rows * columns * photometric.SamplesPerPixel != samples.Length)
        {
            throw new ArgumentException("Sample count does not match rows x columns x samples per pixel.", nameof(samples));
        }

        Rows = rows;
        Columns = columns;
        Photometric = photometric;
        BitsStored = bitsStored;
        IsSigned = isSigned;
        Samples = samples;
    }

    public int Rows { get; }

    public int Columns { get; }

    /// <summary>What the samples are now: a decoder that undid a colour transform reports RGB.</summary>
    public PhotometricInterpretation Photometric { get; }

    public int BitsStored { get; }

    public bool IsSigned { get; }

    public int SamplesPerPixel => Photometric.SamplesPerPixel;

    /// <summary>
    /// Masked, sign-extended samples. Unsigned 32-bit samples above 2^31-1 are held as their bit pattern: read
    /// them through <see cref="StoredValue"/>.
    /// </summary>
    public int[] Samples { get; }

    /// <summary>The stored value of a sample, honouring unsigned 32-bit data.</summary>
    public long StoredValue(int sample) => IsSigned || BitsStored < 32 ? sample : (uint)sample;
}
