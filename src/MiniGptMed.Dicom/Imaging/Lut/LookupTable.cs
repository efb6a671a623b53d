namespace MiniGptMed.Dicom.Imaging.Lut;

/// <summary>
/// A LUT from a Modality LUT, VOI LUT or Palette Colour LUT: LUT Descriptor (entries, first value mapped,
/// bits per entry) and LUT Data (PS3.3 C.11.1.1.1, C.11.2.1.1, C.7.6.3.1.5).
/// </summary>
public sealed class LookupTable
{
    public LookupTable(int firstValueMapped, int bitsPerEntry, int[] entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Length == 0)
        {
            throw new DicomImagingException("LUT Data is empty");
        }

        if (bitsPerEntry is < 1 or > 16)
        {
            throw new DicomImagingException($"LUT Descriptor bits per entry {bitsPerEntry} must be between 1 and 16");
        }

        FirstValueMapped = firstValueMapped;
        BitsPerEntry = bitsPerEntry;
        Entries = entries;
    }

    public int FirstValueMapped { get; }

    public int BitsPerEntry { get; }

    public int[] Entries { get; }

    public int MaxOutput => (1 << BitsPerEntry) - 1;

    /// <summary>PS3.3 C.11.1.1.1: inputs below the first mapped value take the first entry, above the last the last.</summary>
    public int Map(double input)
    {
        var index = (long)Math.Floor(input) - FirstValueMapped;
        return Entries[index < 0 ? 0 : index >= Entries.Length ? Entries.Length - 1 : (int)index];
    }

    /// <summary>
    /// Builds a table from the descriptor and the LUT Data words. PS3.3 C.11.1.1.1: 0 entries means 65536;
    /// the first value mapped is signed when the input is signed.
    /// </summary>
    public static LookupTable FromDescriptor(ReadOnlySpan<int> descriptor, ReadOnlySpan<ushort> data, bool signedInput)
    {
        if (descriptor.Length != 3)
        {
            throw new DicomImagingException($"LUT Descriptor must have 3 values, has {descriptor.Length}");
        }

        var count = descriptor[0] == 0 ? 65536 : descriptor[0];
        int first = signedInput ? (short)descriptor[1] : (ushort)descriptor[1];
        var bits = descriptor[2];
        if (bits is < 8 or > 16)
        {
            throw new DicomImagingException($"LUT Descriptor bits per entry {bits} must be between 8 and 16");
        }

        if (data.Length < count)
        {
            // PS3.3 C.11.1.1.1: 8-bit entries may be packed two per word.
            if (bits == 8 && data.Length * 2 >= count)
            {
                var unpacked = new int[count];
                for (var i = 0; i < count; i++)
                {
                    var word = data[i / 2];
                    unpacked[i] = (i % 2 == 0) ? word & 0xFF : word >> 8;
                }

                return new LookupTable(first, bits, unpacked);
            }

            throw new DicomImagingException($"LUT Data has {data.Length} entries but the descriptor says {count}");
        }

        var entries = new int[count];
        var mask = (1 << bits) - 1;
        for (var i = 0; i < count; i++)
        {
            entries[i] = data[i] & mask;
        }

        return new LookupTable(first, bits, entries);
    }
}
