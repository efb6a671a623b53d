using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.Network.Dimse;
using MiniGptMed.DicomNode.Catalogue;

namespace MiniGptMed.DicomNode.Reception;

/// <summary>
/// The sealed files of the layout (<c>instances/&lt;study&gt;/&lt;series&gt;/&lt;sop&gt;.dcm</c>) as catalogue rows, for
/// <see cref="ICatalogue.ReconcileAsync"/> at start: the files are the truth. Each file's head is parsed (up to
/// Pixel Data); the called and calling AE come from its meta (Receiving/Source AE Title, PS3.10 7.1, written by the
/// store), the received time from its modification time, and the peer address is unknown (null).
/// </summary>
internal sealed class StoredFiles(string instancesDirectory, ILogger logger)
{
    private static readonly DicomReaderOptions HeadOptions = new() { StopBeforeTag = new DicomTag(0x7FE0, 0x0010) };

    /// <summary>Files that could not be read as an instance of their folder (left in place, not catalogued), after an enumeration.</summary>
    public int Skipped { get; private set; }

    public async IAsyncEnumerable<InstanceRecord> EnumerateAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Skipped = 0;
        if (!Directory.Exists(instancesDirectory))
        {
            yield break;
        }

        foreach (var study in Directory.EnumerateDirectories(instancesDirectory))
        {
            foreach (var series in Directory.EnumerateDirectories(study))
            {
                foreach (var path in Directory.EnumerateFiles(series, "*" + InstanceLayout.Extension))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (Read(path) is { } record)
                    {
                        yield return record;
                    }
                    else
                    {
                        Skipped++;
                    }
                }

                // A large store takes a while: let the host's other start work and cancellation in between series.
                await Task.Yield();
            }
        }

        if (Skipped > 0)
        {
            NodeLog.StoredFilesSkipped(logger, Skipped, instancesDirectory);
        }
    }

    /// <summary>The row of one file, or null when it is not an instance that belongs where it is.</summary>
    internal static InstanceRecord? Read(string path)
    {
        try
        {
            var info = new FileInfo(path);
            var file = DicomFile.Open(path, HeadOptions);
            var facts = InstanceFacts.From(file.Dataset);
            var sop = file.Dataset.GetString(DicomTags.SOPInstanceUID);
            var sopClass = file.Dataset.GetString(DicomTags.SOPClassUID);
            // Only a file that is where the layout puts it: a stray or renamed file is not catalogued under a wrong name.
            var series = Path.GetDirectoryName(path)!;
            if (sop is null || sopClass is null || !facts.HasLayoutUids
                || Path.GetFileName(path) != sop + InstanceLayout.Extension
                || Path.GetFileName(series) != facts.SeriesInstanceUid
                || Path.GetFileName(Path.GetDirectoryName(series)) != facts.StudyInstanceUid)
            {
                return null;
            }

            return new InstanceRecord
            {
                SopClassUid = sopClass,
                SopInstanceUid = sop,
                StudyInstanceUid = facts.StudyInstanceUid!,
                SeriesInstanceUid = facts.SeriesInstanceUid!,
                Modality = facts.Modality,
                BodyPartExamined = facts.BodyPartExamined,
                SeriesDescription = facts.SeriesDescription,
                SeriesNumber = facts.SeriesNumber,
                InstanceNumber = facts.InstanceNumber,
                CallingAe = file.FileMetaInformation.GetString(DicomTags.SourceApplicationEntityTitle) ?? string.Empty,
                CalledAe = file.FileMetaInformation.GetString(DicomTags.ReceivingApplicationEntityTitle) ?? string.Empty,
                PeerAddress = null,
                ReceivedAt = new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero),
                Path = Path.GetFullPath(path),
                Size = info.Length,
            };
        }
        catch (Exception ex) when (ex is DicomFormatException or DicomDataException or EndOfStreamException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
