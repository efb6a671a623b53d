using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MiniGptMed.DicomNode.Worklist.Notices;

/// <summary>
/// Ids that are the same every time one study version is sent on one channel, so a receiver that got it once can
/// recognise it again (a node killed after sending and before recording the job).
/// </summary>
public static class NoticeIds
{
    /// <summary>
    /// HL7 v2.5.1 MSH-10 Message Control ID (ST, 20 characters at most, 2.15.10): "MGM", the version (the analyse
    /// job's id, unique in the node's database) and 8 hex digits of the study UID's hash so that two nodes with their
    /// own databases do not repeat each other's ids for different studies.
    /// </summary>
    public static string ControlId(string studyInstanceUid, long version)
    {
        var hash = SHA256.HashData(Encoding.ASCII.GetBytes(studyInstanceUid));
        var id = string.Create(CultureInfo.InvariantCulture, $"MGM{version}{Convert.ToHexString(hash, 0, 4)}");
        return id.Length <= 20 ? id : id[^20..];
    }

    /// <summary>A delivery id in UUID form from the study, the version and the channel (RFC 9562 version 8: name-based, SHA-256).</summary>
    public static string DeliveryId(string studyInstanceUid, long version, string channel)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{studyInstanceUid}/{version}/{channel}")));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC variant
        return new Guid(bytes, bigEndian: true).ToString("D");
    }
}
