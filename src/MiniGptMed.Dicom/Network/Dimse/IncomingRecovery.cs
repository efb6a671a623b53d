using Microsoft.Extensions.Logging;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;

namespace MiniGptMed.Dicom.Network.Dimse;

/// <summary>
/// What a stop or power cut left in <c>{root}/.incoming</c>, sorted out when the store service starts. A non-empty
/// file there is either an instance that was sealed and fsynced (perhaps acknowledged) whose rename into the root was
/// lost, or one that was still arriving. The first kind is renamed into place: an acknowledged instance must not be
/// lost (PS3.4 B.2.3), and one kept without acknowledgement does no harm, since the sender sends it again and that
/// overwrites it. The second kind is removed. Empty files are pool files, returned for reuse.
/// </summary>
internal static class IncomingRecovery
{
    /// <returns>The empty files found, for the pool (or removed when <paramref name="keepEmpty"/> is false).</returns>
    public static List<string> Run(string root, string incoming, Func<string, string> pathFor, bool keepEmpty, ILogger logger)
    {
        var empty = new List<string>();
        int recovered = 0, discarded = 0;
        foreach (var path in Directory.GetFiles(incoming))
        {
            if (new FileInfo(path).Length == 0)
            {
                if (keepEmpty)
                {
                    empty.Add(path);
                }
                else
                {
                    File.Delete(path);
                }
            }
            else if (CompleteInstanceUid(path) is { } uid)
            {
                File.Move(path, pathFor(uid), overwrite: true);
                recovered++;
            }
            else
            {
                File.Delete(path);
                discarded++;
            }
        }

        if (recovered > 0)
        {
            DurableFileSystem.FlushDirectory(root);
        }

        if (recovered + discarded + empty.Count > 0)
        {
            DimseLog.Recovered(logger, incoming, recovered, discarded, empty.Count);
        }

        return empty;
    }

    /// <summary>
    /// The SOP Instance UID of a file that is provably whole: its seal matches its length and content, it parses to
    /// the end, and the meta's Media Storage SOP Instance UID is present, names the data set's SOP Instance UID, and
    /// is safe as a file name (PS3.5 9.1: digits and dots). Null otherwise.
    /// </summary>
    internal static string? CompleteInstanceUid(string path)
    {
        try
        {
            if (!InstanceSeal.Verify(path))
            {
                return null;
            }

            var file = DicomFile.Open(path);
            var uid = file.FileMetaInformation.GetString(DicomTags.MediaStorageSOPInstanceUID);
            return uid is { Length: > 0 and <= 64 } && uid.All(c => c is '.' or (>= '0' and <= '9'))
                && file.Dataset.GetString(DicomTags.SOPInstanceUID) == uid
                ? uid
                : null;
        }
        catch (Exception ex) when (ex is DicomFormatException or DicomDataException or EndOfStreamException or InvalidDataException or IOException)
        {
            return null;
        }
    }
}
