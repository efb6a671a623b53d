namespace MiniGptMed.Dicom.Data;

/// <summary>
/// PS3.5 6.1.2.5.3: the characters before which the code elements of value 1 of (0008,0005) are
/// active again: CR, LF, TAB and FF always; '\' in multi-valued VRs; '^' and '=' in PN.
/// </summary>
internal static class TextDelimiters
{
    public static bool IsControlDelimiter(int c) => c is 0x09 or 0x0A or 0x0C or 0x0D;

    public static bool IsDelimiter(int c, DicomVR vr) =>
        IsControlDelimiter(c)
        || (c == '\\' && vr.IsMultiValueText)
        || (c is '^' or '=' && ReferenceEquals(vr, DicomVR.PN));
}
