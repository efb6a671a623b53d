using System.Globalization;
using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.Composition;

/// <summary>Items and values that every derived-object builder writes the same way.</summary>
internal static class ImageReferenceItems
{
    /// <summary>
    /// PS3.3 Table 10-3 Image SOP Instance Reference Macro: class, instance and, for a multi-frame source, the frames
    /// the reference applies to (Referenced Frame Number is 1C: absent means every frame, so it is written whenever
    /// the source has more than one frame, and never for a single-frame source).
    /// </summary>
    public static DicomDataset Create(string sopClassUid, string sopInstanceUid, bool sourceIsMultiFrame, IEnumerable<int> frameNumbers)
    {
        var item = new DicomDataset();
        item.AddOrUpdate(DicomTags.ReferencedSOPClassUID, DicomVR.UI, sopClassUid);
        item.AddOrUpdate(DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, sopInstanceUid);
        if (sourceIsMultiFrame)
        {
            item.AddOrUpdate(DicomTags.ReferencedFrameNumber, DicomVR.IS, [.. frameNumbers.Distinct().Order().Select(f => f.ToString(CultureInfo.InvariantCulture))]);
        }

        return item;
    }

    /// <summary>A Code Sequence Macro item (PS3.3 Table 8.8-1): value, scheme designator, meaning.</summary>
    public static DicomDataset Code(string value, string scheme, string meaning)
    {
        var item = new DicomDataset();
        item.AddOrUpdate(DicomTags.CodeValue, DicomVR.SH, value);
        item.AddOrUpdate(DicomTags.CodingSchemeDesignator, DicomVR.SH, scheme);
        item.AddOrUpdate(DicomTags.CodeMeaning, DicomVR.LO, meaning);
        return item;
    }

    /// <summary>DA and TM as PS3.5 6.2 writes them, from the local date and time of <paramref name="at"/>.</summary>
    public static (string Date, string Time) DateAndTime(DateTimeOffset at) =>
        (at.ToString("yyyyMMdd", CultureInfo.InvariantCulture), at.ToString("HHmmss.ffffff", CultureInfo.InvariantCulture));

    /// <summary>
    /// The caller's header, copied so that the builder never changes what it was given, checked to be of
    /// <paramref name="sopClassUid"/> (or given it when it has none).
    /// </summary>
    public static DicomDataset CopyHeader(DicomDataset header, string sopClassUid, string objectName)
    {
        ArgumentNullException.ThrowIfNull(header);
        var existing = header.GetString(DicomTags.SOPClassUID);
        if (!string.IsNullOrEmpty(existing) && existing != sopClassUid)
        {
            throw new ArgumentException($"The header is of SOP class {existing}; a {objectName} is {sopClassUid}.", nameof(header));
        }

        if (string.IsNullOrEmpty(header.GetString(DicomTags.SOPInstanceUID)))
        {
            throw new ArgumentException($"The header of a {objectName} needs a SOP Instance UID (0008,0018).", nameof(header));
        }

        var copy = header.Clone();
        copy.AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, sopClassUid);

        // PS3.3 C.7.3.1 General Series (in the SC and presentation state IODs): Laterality is 2C, required for a
        // paired body part. Whether the part is paired is not known here, so it is present and empty (unknown)
        // unless the header says more.
        if (!copy.Contains(DicomTags.Laterality))
        {
            copy.AddOrUpdate(new DicomValueElement(DicomTags.Laterality, DicomVR.CS, DicomBuffer.Empty));
        }

        return copy;
    }
}
