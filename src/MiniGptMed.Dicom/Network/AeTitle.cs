namespace MiniGptMed.Dicom.Network;

/// <summary>PS3.5 6.2, VR AE: 1-16 characters of the default repertoire without backslash or control characters; leading and trailing spaces are not significant, so all spaces is empty.</summary>
public static class AeTitle
{
    public const string Rule = "1-16 printable ASCII characters, no backslash, not all spaces";

    public static bool IsValid(string? value) =>
        value is not null && value.Length <= 16 && value.Trim().Length > 0 && !value.Any(c => c is < ' ' or > '~' or '\\');
}
