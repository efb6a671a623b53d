namespace MiniGptMed.Dicom.IO;

/// <summary>Who wrote a file or opened an association (PS3.7 D.3.3.2, PS3.10 7.1).</summary>
public static class DicomImplementation
{
    /// <summary>This toolkit's Implementation Class UID (a 2.25 UUID-derived UID, PS3.5 B.2).</summary>
    public const string ClassUid = "2.25.308427112942247666528105208810621910396";

    /// <summary>Implementation Version Name: SH, at most 16 characters.</summary>
    public const string VersionName = "MINIGPTMED_0_1";
}
