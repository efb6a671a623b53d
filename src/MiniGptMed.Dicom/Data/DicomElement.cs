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

/// <summary>
/// A sequence of items (VR SQ), each a nested data set: PS3.5 7.5. An item takes its character set
/// from the data set that holds the sequence (PS3.5 7.5.3), so the sequence knows that data set
/// (<see cref="Owner"/>) and its <see cref="Items"/> set each item's parent as it is added.
/// </summary>
public sealed class DicomSequence : DicomElement
{
    public DicomSequence(DicomTag tag, IEnumerable<DicomDataset>? items = null)
        : base(tag, DicomVR.SQ)
    {
        Items = new DicomSequenceItems(this);
        if (items is not null)
        {
            foreach (var item in items)
            {
                Items.Add(item);
            }
        }
    }

    /// <summary>The items; adding one attaches it to <see cref="Owner"/> (and transcodes its text if needed).</summary>
    public DicomSequenceItems Items { get; }

    /// <summary>The data set this sequence is an element of, or null before it is added to one.</summary>
    public DicomDataset? Owner { get; private set; }

    public override long Length => -1;

    internal void AttachTo(DicomDataset owner)
    {
        if (Owner is not null && !ReferenceEquals(Owner, owner))
        {
            throw new InvalidOperationException(
                $"{Tag} already belongs to another data set; copy it with DicomDataset.CopyFrom (or Clone the data set) instead of sharing it.");
        }

        // Transcode every item first (each one is all or nothing), then take ownership.
        foreach (var item in Items)
        {
            item.AttachTo(owner);
        }

        Owner = owner;
    }

    internal void Detach() => Owner = null;

    internal DicomSequence CloneFor(DicomDataset owner)
    {
        var copy = new DicomSequence(Tag) { Owner = owner };
        foreach (var item in Items)
        {
            var itemCopy = item.Clone();
            itemCopy.Parent = owner;
            copy.Items.Add(itemCopy);
        }

        return copy;
    }
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

    internal DicomFragmentSequence Clone() => new(Tag, VR, OffsetTable, Fragments);

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
