using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.Composition;

/// <summary>
/// The header's two ways of taking a module attribute from the source, over <see cref="DicomDataset.CopyFrom"/>
/// (which decodes text with the source's Specific Character Set and encodes it with the target's, PS3.5 6.1):
/// copy it when present, or write a Type 2 attribute empty (PS3.5 7.4.4) when absent.
/// </summary>
internal static class CrossCharacterSetCopy
{
    /// <summary>
    /// Copies <paramref name="tag"/> when <paramref name="source"/> has it; returns false when absent.
    /// The target must already hold the character set it is to be written in (or sit in a data set that does).
    /// </summary>
    public static bool CopyIfPresent(DicomDataset source, DicomDataset target, DicomTag tag)
    {
        if (!source.Contains(tag))
        {
            return false;
        }

        target.CopyFrom(source, tag);
        return true;
    }

    /// <summary>Copies <paramref name="tag"/>, or writes it empty (a Type 2 attribute, PS3.5 7.4.4) when absent.</summary>
    public static void CopyOrEmpty(DicomDataset source, DicomDataset target, DicomTag tag, DicomVR vr)
    {
        if (!CopyIfPresent(source, target, tag))
        {
            target.AddOrUpdate(tag, vr, string.Empty);
        }
    }
}
