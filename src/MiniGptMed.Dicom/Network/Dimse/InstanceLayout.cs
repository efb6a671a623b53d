using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.Network.Dimse;

/// <summary>
/// Where stored instances live under the data folder: <c>instances/&lt;study&gt;/&lt;series&gt;/&lt;sop&gt;.dcm</c>
/// (one folder of a million files does not scale; a series folder holds what is read together).
/// </summary>
public static class InstanceLayout
{
    public const string InstancesFolder = "instances";

    public const string Extension = ".dcm";

    /// <summary>
    /// PS3.5 9.1: a UID is digits and dots, at most 64 characters, so a valid one cannot be "..", hold a separator or
    /// be empty: it is safe as one path part. Checked before any UID becomes part of a path.
    /// </summary>
    public static bool IsSafeUid(string? uid) => DicomUid.IsValid(uid);

    /// <summary>The file of an instance, relative to the data folder.</summary>
    public static string RelativePath(string studyInstanceUid, string seriesInstanceUid, string sopInstanceUid)
    {
        Check(studyInstanceUid);
        Check(seriesInstanceUid);
        Check(sopInstanceUid);
        return Path.Combine(InstancesFolder, studyInstanceUid, seriesInstanceUid, sopInstanceUid + Extension);
    }

    private static void Check(string uid)
    {
        if (!IsSafeUid(uid))
        {
            throw new ArgumentException($"'{(uid.Length > 64 ? uid[..64] + "..." : uid)}' is not a UID (PS3.5 9.1) and cannot name a file.", nameof(uid));
        }
    }
}
