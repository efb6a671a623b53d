using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.StructuredReport;

/// <summary>Small helpers for building the nested data sets of a content tree.</summary>
internal static class SrDatasets
{
    /// <summary>
    /// Appends a new, empty item to sequence <paramref name="tag"/> of <paramref name="dataset"/> (creating the
    /// sequence), attached to its parent before anything is written into it, so that its text is encoded in the
    /// document's Specific Character Set (PS3.5 7.5.3: an item inherits the set of the data set that holds it).
    /// </summary>
    public static DicomDataset AppendItem(DicomDataset dataset, DicomTag tag)
    {
        var sequence = dataset.GetSequence(tag);
        if (sequence is null)
        {
            sequence = new DicomSequence(tag);
            dataset.AddOrUpdate(sequence);
        }

        var item = new DicomDataset { Parent = dataset };
        sequence.Items.Add(item);
        return item;
    }

    /// <summary>
    /// Writes text in the data set's character set; text the set cannot hold is refused by the data layer with an
    /// error naming the tag (never written as '?'): the document must declare a set that holds it first (ISO_IR 192).
    /// </summary>
    public static void SetText(DicomDataset dataset, DicomTag tag, DicomVR vr, string text) =>
        dataset.AddOrUpdate(tag, vr, text);

    public static void RequireUid(string? uid, string what)
    {
        if (!DicomUid.IsValid(uid))
        {
            throw new ArgumentException($"{what}: '{uid}' is not a valid UID (PS3.5 9.1).");
        }
    }

    /// <summary>Referenced SOP Sequence (0008,1199) with one item: class, instance and, for multi-frame images, frames.</summary>
    public static void WriteSopReference(DicomDataset dataset, string sopClassUid, string sopInstanceUid, IReadOnlyList<int>? frameNumbers)
    {
        RequireUid(sopClassUid, "Referenced SOP Class UID");
        RequireUid(sopInstanceUid, "Referenced SOP Instance UID");
        if (frameNumbers is not null && frameNumbers.Any(f => f < 1))
        {
            throw new ArgumentException("Referenced Frame Number counts from 1 (PS3.3 C.7.6.16.2.6).", nameof(frameNumbers));
        }

        var reference = AppendItem(dataset, DicomTags.ReferencedSOPSequence);
        reference.AddOrUpdate(DicomTags.ReferencedSOPClassUID, DicomVR.UI, sopClassUid);
        reference.AddOrUpdate(DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, sopInstanceUid);
        if (frameNumbers is { Count: > 0 })
        {
            reference.AddOrUpdate(DicomTags.ReferencedFrameNumber, DicomVR.IS, [.. frameNumbers.Select(f => f.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        }
    }
}
