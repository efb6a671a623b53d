using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.Composition;

/// <summary>
/// Copies elements from a data set in one character set into a data set in another: text is decoded with the
/// source's Specific Character Set (PS3.5 6.1) and encoded again with the target's, so a name written in
/// ISO 2022 IR 87 comes out as the same characters in ISO_IR 192. Other values are copied byte for byte.
/// </summary>
internal static class CrossCharacterSetCopy
{
    /// <summary>
    /// Copies <paramref name="tag"/> when <paramref name="source"/> has it; returns false when absent.
    /// The target must already hold the character set it is to be written in (or sit in a data set that does).
    /// </summary>
    public static bool CopyIfPresent(DicomDataset source, DicomDataset target, DicomTag tag)
    {
        if (!source.TryGetElement(tag, out var element))
        {
            return false;
        }

        Copy(source, target, element);
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

    private static void Copy(DicomDataset source, DicomDataset target, DicomElement element)
    {
        switch (element)
        {
            case DicomSequence sequence:
                var copy = new DicomSequence(element.Tag);
                target.AddOrUpdate(copy);
                foreach (var item in sequence.Items)
                {
                    // Attached before it is filled, so that its text is encoded in the target's character set.
                    var targetItem = new DicomDataset { Parent = target };
                    copy.Items.Add(targetItem);
                    foreach (var child in item)
                    {
                        Copy(item, targetItem, child);
                    }
                }

                break;
            case DicomValueElement value when value.VR.UsesSpecificCharacterSet && !value.IsEmpty:
                target.AddOrUpdate(element.Tag, element.VR, source.GetString(element.Tag) ?? string.Empty);
                break;
            default:
                // Values that never use the Specific Character Set (UI, CS, DA, binary) are the same bytes in every set.
                target.AddOrUpdate(element);
                break;
        }
    }
}
