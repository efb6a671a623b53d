using System.IO.Compression;
using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.IO;

/// <summary>Writes Part 10 files (PS3.10 7.1): preamble, "DICM", File Meta Information, data set.</summary>
public static class DicomFileWriter
{
    private static readonly DicomTag GroupLength = new(0x0002, 0x0000);
    private static readonly DicomTag Version = new(0x0002, 0x0001);
    private static readonly DicomTag MediaStorageSopClassUid = new(0x0002, 0x0002);
    private static readonly DicomTag MediaStorageSopInstanceUid = new(0x0002, 0x0003);
    private static readonly DicomTag TransferSyntaxUid = new(0x0002, 0x0010);
    private static readonly DicomTag ImplementationClassUid = new(0x0002, 0x0012);
    private static readonly DicomTag ImplementationVersionName = new(0x0002, 0x0013);
    private static readonly DicomTag SopClassUid = new(0x0008, 0x0016);
    private static readonly DicomTag SopInstanceUid = new(0x0008, 0x0018);

    public static void Write(string path, DicomFile file, DicomTransferSyntax? syntax = null)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        Write(stream, file, syntax);
    }

    /// <summary>Writes the file in <paramref name="syntax"/> (default: the syntax it was read in).</summary>
    public static void Write(Stream stream, DicomFile file, DicomTransferSyntax? syntax = null)
    {
        syntax ??= file.TransferSyntax;
        var meta = BuildFileMetaInformation(file.Dataset, syntax, file.FileMetaInformation);
        // Not disposed: that would close the caller's stream.
        var buffered = new BufferedStream(stream, 1 << 16);
        WritePreambleAndMeta(buffered, meta);
        if (syntax.IsDeflated)
        {
            using var deflate = new DeflateStream(buffered, CompressionLevel.Optimal, leaveOpen: true);
            DicomDatasetWriter.Write(deflate, file.Dataset, syntax);
        }
        else
        {
            DicomDatasetWriter.Write(buffered, file.Dataset, syntax);
        }

        buffered.Flush();
    }

    /// <summary>Writes the preamble, "DICM" and the meta group (explicit VR little endian, PS3.10 7.1).</summary>
    public static void WritePreambleAndMeta(Stream stream, DicomDataset meta)
    {
        Span<byte> preamble = stackalloc byte[128];
        preamble.Clear();
        stream.Write(preamble);
        stream.Write("DICM"u8);

        using var body = new MemoryStream();
        var withoutLength = new DicomDataset(meta.Where(e => e.Tag != GroupLength));
        DicomDatasetWriter.Write(body, withoutLength, DicomTransferSyntax.ExplicitVRLittleEndian, includeMetaGroup: true);
        var header = new DicomDataset().AddOrUpdate(GroupLength, DicomVR.UL, (uint)body.Length);
        DicomDatasetWriter.Write(stream, header, DicomTransferSyntax.ExplicitVRLittleEndian, includeMetaGroup: true);
        body.Position = 0;
        body.CopyTo(stream);
    }

    /// <summary>
    /// The meta group for <paramref name="dataset"/> in <paramref name="syntax"/>: version 00\01, the SOP
    /// class and instance from the data set, this implementation's class UID and version name, plus
    /// whatever else <paramref name="existing"/> carried (Source AE Title, private information).
    /// </summary>
    public static DicomDataset BuildFileMetaInformation(DicomDataset dataset, DicomTransferSyntax syntax, DicomDataset? existing = null)
    {
        var meta = existing?.Clone() ?? new DicomDataset();
        meta.Parent = null;
        meta.Remove(GroupLength);
        meta.AddOrUpdate(Version, DicomVR.OB, [0x00, 0x01]);
        // The bytes of the data set's UIDs, as they are: a file read with a malformed UID is saved
        // again with that UID rather than refused by the checked setters.
        CopyUid(dataset, SopClassUid, meta, MediaStorageSopClassUid);
        CopyUid(dataset, SopInstanceUid, meta, MediaStorageSopInstanceUid);
        meta.AddOrUpdate(TransferSyntaxUid, DicomVR.UI, syntax.Uid);
        meta.AddOrUpdate(ImplementationClassUid, DicomVR.UI, DicomImplementation.ClassUid);
        meta.AddOrUpdate(ImplementationVersionName, DicomVR.SH, DicomImplementation.VersionName);
        return meta;
    }

    private static void CopyUid(DicomDataset dataset, DicomTag from, DicomDataset meta, DicomTag to)
    {
        if (dataset.GetElement(from) is DicomValueElement uid)
        {
            meta.AddOrUpdate(new DicomValueElement(to, DicomVR.UI, uid.Buffer));
        }
        else if (!meta.Contains(to))
        {
            meta.AddOrUpdate(new DicomValueElement(to, DicomVR.UI, DicomBuffer.Empty));
        }
    }
}
