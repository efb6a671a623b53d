using System.Buffers.Binary;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;

namespace MiniGptMed.Dicom.Network.Dimse;

/// <summary>
/// What an SCU needs of a Part 10 file to send it: SOP class and instance, transfer syntax, and where the data set
/// starts after the File Meta Information (PS3.10 7.1), so that the data set can be streamed from disk as is.
/// </summary>
public sealed record Part10Source(string Path, string SopClassUid, string SopInstanceUid, DicomTransferSyntax TransferSyntax, long DataSetOffset)
{
    private static readonly DicomReaderOptions HeaderOnly = new() { StopBeforeTag = DicomTags.PixelData };

    /// <exception cref="DicomFormatException">Not a Part 10 file, or one without SOP class/instance.</exception>
    public static Part10Source Probe(string path)
    {
        var file = DicomFile.Open(path, HeaderOnly);
        // The C-STORE command must name what the data set says (receivers such as storescp check it, PS3.4 B.2.3 A900);
        // the meta group only stands in when the data set lacks them.
        var sopClass = NullIfEmpty(file.Dataset.GetString(DicomTags.SOPClassUID)) ?? file.FileMetaInformation.GetString(DicomTags.MediaStorageSOPClassUID);
        var sopInstance = NullIfEmpty(file.Dataset.GetString(DicomTags.SOPInstanceUID)) ?? file.FileMetaInformation.GetString(DicomTags.MediaStorageSOPInstanceUID);
        if (string.IsNullOrEmpty(sopClass) || string.IsNullOrEmpty(sopInstance) || !file.HadFileMetaInformation)
        {
            throw new DicomFormatException($"{path}: not a Part 10 file with SOP Class and SOP Instance UIDs", null, 0);
        }

        using var stream = File.OpenRead(path);
        return new Part10Source(path, sopClass, sopInstance, file.TransferSyntax, FindDataSetOffset(stream, file.HadPreamble));
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>Walks the meta group (always explicit VR little endian, PS3.10 7.1) to the first element after it.</summary>
    private static long FindDataSetOffset(Stream stream, bool hadPreamble)
    {
        long position = hadPreamble ? 132 : 4;
        stream.Position = position;
        Span<byte> header = stackalloc byte[12];
        while (true)
        {
            if (stream.ReadAtLeast(header[..8], 8, throwOnEndOfStream: false) < 8 || BinaryPrimitives.ReadUInt16LittleEndian(header) != 0x0002)
            {
                return position;
            }

            long valueLength;
            var headerLength = 8;
            if (DicomVR.TryGet(header[4], header[5], out var vr) && vr.HasLongExplicitLength)
            {
                stream.ReadExactly(header[8..12]);
                valueLength = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
                headerLength = 12;
            }
            else
            {
                valueLength = BinaryPrimitives.ReadUInt16LittleEndian(header[6..]);
            }

            position += headerLength + valueLength;
            stream.Position = position;
        }
    }
}
