namespace MiniGptMed.Dicom.Data;

/// <summary>One entry of a data set: a value element, a sequence, or encapsulated pixel data.</summary>
public abstract class DicomElement(DicomTag tag, DicomVR vr)
{
    public DicomTag Tag { get; } = tag;

    public DicomVR VR { get; } = vr;

    /// <summary>Length of the value as encoded (without padding decisions of a writer).</summary>
    public abstract long Length { get; }

    public override string ToString() => $"{Tag} {VR.Code}";
}

/// <summary>
/// An element with a single value field. The bytes are kept raw (little endian) and decoded on access,
/// so reading and writing a file does not change what was not touched.
/// </summary>
public sealed class DicomValueElement : DicomElement
{
    public DicomValueElement(DicomTag tag, DicomVR vr, DicomBuffer buffer)
        : base(tag, vr)
    {
        if (vr.Kind == DicomVRKind.Sequence)
        {
            throw new ArgumentException($"{tag}: an SQ element is a DicomSequence, not a value element.", nameof(vr));
        }

        Buffer = buffer;
    }

    public DicomBuffer Buffer { get; }

    public override long Length => Buffer.Length;

    public bool IsEmpty => Buffer.Length == 0;
}

/// <summary>A sequence of items (VR SQ), each a nested data set: PS3.5 7.5.</summary>
public sealed class DicomSequence : DicomElement
{
    public DicomSequence(DicomTag tag, IEnumerable<DicomDataset>? items = null)
        : base(tag, DicomVR.SQ)
    {
        Items = items is null ? [] : [.. items];
    }

    public List<DicomDataset> Items { get; }

    public override long Length => -1;
}

/// <summary>
/// Encapsulated pixel data (PS3.5 A.4): an undefined-length OB value made of items, the first being
/// the Basic Offset Table (possibly empty), the rest compressed fragments.
/// </summary>
public sealed class DicomFragmentSequence : DicomElement
{
    public DicomFragmentSequence(DicomTag tag, DicomVR vr, DicomBuffer offsetTable, IEnumerable<DicomBuffer>? fragments = null)
        : base(tag, vr)
    {
        OffsetTable = offsetTable;
        Fragments = fragments is null ? [] : [.. fragments];
    }

    /// <summary>The raw Basic Offset Table item value (empty when the encoder gave none).</summary>
    public DicomBuffer OffsetTable { get; }

    public List<DicomBuffer> Fragments { get; }

    public override long Length => -1;

    /// <summary>The Basic Offset Table as offsets (PS3.5 A.4: 32-bit, relative to the first fragment's item tag).</summary>
    public uint[] GetBasicOffsets()
    {
        var bytes = OffsetTable.GetMemory().Span;
        var offsets = new uint[bytes.Length / 4];
        for (var i = 0; i < offsets.Length; i++)
        {
            offsets[i] = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes[(i * 4)..]);
        }

        return offsets;
    }
}
