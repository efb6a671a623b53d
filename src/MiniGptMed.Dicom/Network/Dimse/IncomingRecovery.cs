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
    /// <param name="ensureFolder">Creates (durably, in flush mode) the layout folder of a study and series and returns it.</param>
    public static List<string> Run(string incoming, Func<string, string, string> ensureFolder, bool flush, bool keepEmpty, ILogger logger)
    {
        var empty = new List<string>();
        var touched = new HashSet<string>(StringComparer.Ordinal);
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
            else if (CompleteInstance(path) is { } instance)
            {
                var folder = ensureFolder(instance.Study, instance.Series);
                File.Move(path, Path.Combine(folder, instance.Sop + InstanceLayout.Extension), overwrite: true);
                touched.Add(folder);
                recovered++;
            }
            else
            {
                File.Delete(path);
                discarded++;
            }
        }

        if (flush)
        {
            foreach (var folder in touched)
            {
                DurableFileSystem.FlushDirectory(folder);
            }
        }

        if (recovered + discarded + empty.Count > 0)
        {
            DimseLog.Recovered(logger, incoming, recovered, discarded, empty.Count);
        }

        return empty;
    }

    /// <summary>
    /// The SOP Instance, Study and Series UIDs of a file that is provably whole: its seal matches its length and
    /// content, it parses to the end, the meta's Media Storage SOP Instance UID is present and names the data set's SOP
    /// Instance UID, and all three are safe as path parts (PS3.5 9.1: digits and dots). Null otherwise.
    /// </summary>
    internal static (string Sop, string Study, string Series)? CompleteInstance(string path)
    {
        try
        {
            if (!InstanceSeal.Verify(path))
            {
                return null;
            }

            var file = DicomFile.Open(path);
            var uid = file.FileMetaInformation.GetString(DicomTags.MediaStorageSOPInstanceUID);
            var study = file.Dataset.GetString(DicomTags.StudyInstanceUID);
            var series = file.Dataset.GetString(DicomTags.SeriesInstanceUID);
            return InstanceLayout.IsSafeUid(uid) && InstanceLayout.IsSafeUid(study) && InstanceLayout.IsSafeUid(series)
                && file.Dataset.GetString(DicomTags.SOPInstanceUID) == uid
                ? (uid!, study!, series!)
                : null;
        }
        catch (Exception ex) when (ex is DicomFormatException or DicomDataException or EndOfStreamException or InvalidDataException or IOException)
        {
            return null;
        }
    }
}
