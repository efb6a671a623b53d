using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.StructuredReport;

/// <summary>What an IMAGE or COMPOSITE item points at (Referenced SOP Sequence (0008,1199), PS3.3 C.18.3/C.18.4).</summary>
public sealed record SopReference(string SopClassUid, string SopInstanceUid, IReadOnlyList<int> FrameNumbers)
{
    internal static SopReference? Read(DicomDataset dataset)
    {
        if (dataset.GetSequence(DicomTags.ReferencedSOPSequence) is not { Items.Count: > 0 } sequence)
        {
            return null;
        }

        var item = sequence.Items[0];
        var frames = item.GetValues<int>(DicomTags.ReferencedFrameNumber);
        return new SopReference(
            item.GetString(DicomTags.ReferencedSOPClassUID) ?? string.Empty,
            item.GetString(DicomTags.ReferencedSOPInstanceUID) ?? string.Empty,
            frames);
    }

    public override string ToString() =>
        FrameNumbers.Count > 0 ? $"{SopInstanceUid} frame {string.Join(',', FrameNumbers)}" : SopInstanceUid;
}
