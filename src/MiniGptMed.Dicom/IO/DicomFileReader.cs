using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;
using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.IO;

/// <summary>
/// Reads Part 10 files (PS3.10 7.1): preamble and "DICM", File Meta Information in explicit VR little
/// endian, then the data set in the transfer syntax the meta group names. Also files with no preamble
/// or no meta group (then the encoding is recognised from the first element, as PS3.10 allows readers to).
/// </summary>
public static class DicomFileReader
{
    private const int PreambleLength = 128;
    private static readonly DicomTag TransferSyntaxUidTag = new(0x0002, 0x0010);

    public static DicomFile Read(string path, DicomReaderOptions? options = null)
    {
        var stream = new FileStream(path, new FileStreamOptions
        {
            Access = FileAccess.Read,
            Share = FileShare.Read | FileShare.Delete,
            BufferSize = 0,
            Options = FileOptions.SequentialScan,
        });
        // Who the file is now: values read later by path (FileBuffer) check that it is still this file.
        var identity = FileIdentity.Of(System.IO.Path.GetFullPath(path), stream.SafeFileHandle);
        using var input = new DicomInput(stream, ownsStream: true);
        return Read(input, options ?? DicomReaderOptions.Default, identity);
    }

    /// <summary>Reads from a stream; values stay in memory (there is no file to read them from later).</summary>
    public static DicomFile Read(Stream stream, DicomReaderOptions? options = null)
    {
        using var input = new DicomInput(stream, ownsStream: false, stream.CanSeek ? stream.Position : 0);
        return Read(input, options ?? DicomReaderOptions.Default, null);
    }

    /// <summary>Reads a bare data set (no preamble, no meta group) in a known transfer syntax.</summary>
    public static DicomDataset ReadDataset(Stream stream, DicomTransferSyntax syntax, DicomReaderOptions? options = null)
    {
        using var input = new DicomInput(stream, ownsStream: false, stream.CanSeek ? stream.Position : 0);
        return ReadDataset(input, syntax, options ?? DicomReaderOptions.Default, null, []);
    }

    /// <summary>Reads a bare data set from bytes (a DIMSE command set, for example).</summary>
    /// <remarks>
    /// Bytes held in an array are read in place (values are copied out, nothing keeps a reference to them); other
    /// memory is copied first.
    /// </remarks>
    public static DicomDataset ReadDataset(ReadOnlyMemory<byte> bytes, DicomTransferSyntax syntax, DicomReaderOptions? options = null)
    {
        using var stream = MemoryMarshal.TryGetArray(bytes, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(bytes.ToArray(), writable: false);
        return ReadDataset(stream, syntax, options);
    }

    private static DicomFile Read(DicomInput input, DicomReaderOptions options, FileIdentity? file)
    {
        var hadPreamble = false;
        if (input.TryEnsure(PreambleLength + 4) && input.Peek(PreambleLength + 4)[PreambleLength..].SequenceEqual("DICM"u8))
        {
            input.Advance(PreambleLength + 4);
            hadPreamble = true;
        }
        else if (input.TryEnsure(4) && input.Peek(4).SequenceEqual("DICM"u8))
        {
            input.Advance(4);
        }

        var meta = new DicomDataset();
        var warnings = new List<string>();
        var parser = new DicomDatasetParser(input, options, file, warnings);
        var hadMeta = input.TryEnsure(2) && BinaryPrimitives.ReadUInt16LittleEndian(input.Peek(2)) == 0x0002;
        if (hadMeta)
        {
            parser.ReadMetaGroup(meta);
        }
        else if (!hadPreamble && input.TryEnsure(8) && !LooksLikeDataset(input.Peek(8)))
        {
            throw new DicomFormatException("Not a DICOM file: no preamble, no File Meta Information, and no recognisable data element", null, input.Position);
        }

        var declared = meta.GetString(TransferSyntaxUidTag);
        var syntax = string.IsNullOrEmpty(declared) ? DetectSyntax(input) : DicomTransferSyntax.Lookup(declared);
        var dataset = ReadDataset(input, syntax, options, file, warnings);
        return new DicomFile(meta, dataset, syntax) { Path = file?.Path, HadPreamble = hadPreamble, HadFileMetaInformation = hadMeta, Warnings = warnings };
    }

    private static DicomDataset ReadDataset(DicomInput input, DicomTransferSyntax syntax, DicomReaderOptions options, FileIdentity? file, List<string> warnings)
    {
        var dataset = new DicomDataset();
        if (syntax.IsDeflated)
        {
            // PS3.5 A.5: the whole data set after the meta group is one raw deflate stream.
            using var inflated = new DeflateStream(input.RemainderStream(), CompressionMode.Decompress);
            using var inner = new DicomInput(inflated, ownsStream: false);
            try
            {
                new DicomDatasetParser(inner, options, null, warnings).ReadTopLevel(dataset, DicomEncoding.ExplicitLittle);
            }
            catch (InvalidDataException ex)
            {
                throw new DicomFormatException("The deflated data set is corrupt", null, inner.Position, ex);
            }

            return dataset;
        }

        var declared = DicomEncoding.Of(syntax);
        var encoding = CorrectEncoding(input, declared);
        if (encoding != declared)
        {
            if (options.Strict)
            {
                throw new DicomFormatException($"The data set is not in the declared {syntax.Name} VR encoding", null, input.Position);
            }

            warnings.Add($"The data set is {(encoding.IsExplicitVR ? "explicit" : "implicit")} VR although {syntax.Name} was declared; read as written");
        }

        new DicomDatasetParser(input, options, file, warnings).ReadTopLevel(dataset, encoding);
        return dataset;
    }

    /// <summary>
    /// Some writers declare one VR encoding and use the other. When the first element plainly says
    /// otherwise, read it the way it is written (DCMTK and pydicom do the same).
    /// </summary>
    private static DicomEncoding CorrectEncoding(DicomInput input, DicomEncoding declared)
    {
        if (!declared.IsLittleEndian || !input.TryEnsure(6))
        {
            return declared;
        }

        var header = input.Peek(6);
        var group = BinaryPrimitives.ReadUInt16LittleEndian(header);
        if (group == 0xFFFE)
        {
            return declared;
        }

        var hasVR = DicomVR.TryGet(header[4], header[5], out _);
        if (declared.IsExplicitVR && !hasVR)
        {
            return DicomEncoding.ImplicitLittle;
        }

        if (!declared.IsExplicitVR && hasVR && input.TryEnsure(8))
        {
            // Implicit VR: bytes 4-7 are a 32-bit length. Two capital letters there would mean a length
            // of over 1 GB for the first element, so they are a VR.
            return DicomEncoding.ExplicitLittle;
        }

        return declared;
    }

    private static DicomTransferSyntax DetectSyntax(DicomInput input)
    {
        if (!input.TryEnsure(8))
        {
            return DicomTransferSyntax.ImplicitVRLittleEndian;
        }

        var header = input.Peek(8);
        var groupLittle = BinaryPrimitives.ReadUInt16LittleEndian(header);
        var groupBig = BinaryPrimitives.ReadUInt16BigEndian(header);
        var hasVR = DicomVR.TryGet(header[4], header[5], out _);
        if (groupLittle > 0x00FF && groupBig <= 0x00FF && hasVR)
        {
            return DicomTransferSyntax.ExplicitVRBigEndian;
        }

        return hasVR ? DicomTransferSyntax.ExplicitVRLittleEndian : DicomTransferSyntax.ImplicitVRLittleEndian;
    }

    /// <summary>A headerless data set starts with a low group (0008 in practice) in either byte order.</summary>
    private static bool LooksLikeDataset(ReadOnlySpan<byte> header)
    {
        var groupLittle = BinaryPrimitives.ReadUInt16LittleEndian(header);
        var groupBig = BinaryPrimitives.ReadUInt16BigEndian(header);
        return groupLittle is >= 0x0002 and <= 0x0FFF || groupBig is >= 0x0002 and <= 0x0FFF;
    }
}
