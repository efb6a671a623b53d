using System.Buffers.Binary;
using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.IO;

/// <summary>
/// Writes a data set in one of the native encodings (PS3.5 7). Sequences and items are written with
/// undefined length; values are padded to even length with their VR's padding byte; big endian output
/// swaps each value by its VR's unit size. Group length elements (gggg,0000) other than the command
/// group are left out: PS3.5 7.2 retired them, and a copied one would be wrong after transcoding.
/// </summary>
public sealed class DicomDatasetWriter
{
    private const uint UndefinedLength = 0xFFFFFFFF;
    private readonly Stream _output;
    private readonly DicomEncoding _encoding;
    private readonly byte[] _header = new byte[12];
    private bool _includeMetaGroup;

    private DicomDatasetWriter(Stream output, DicomEncoding encoding)
    {
        _output = output;
        _encoding = encoding;
    }

    /// <summary>Writes <paramref name="dataset"/> to <paramref name="output"/>; deflate is the caller's (DicomFileWriter).</summary>
    public static void Write(Stream output, DicomDataset dataset, DicomTransferSyntax syntax) =>
        Write(output, dataset, syntax, includeMetaGroup: false);

    internal static void Write(Stream output, DicomDataset dataset, DicomTransferSyntax syntax, bool includeMetaGroup)
    {
        var encoding = syntax.IsDeflated ? DicomEncoding.ExplicitLittle : DicomEncoding.Of(syntax);
        CheckPixelEncapsulation(dataset, syntax);
        new DicomDatasetWriter(output, encoding) { _includeMetaGroup = includeMetaGroup }.WriteElements(dataset, topLevel: true);
    }

    /// <summary>Writes the elements of a command set (group 0000), including its group length: PS3.7 6.3.1.</summary>
    public static byte[] WriteCommand(DicomDataset command)
    {
        using var body = new MemoryStream();
        var writer = new DicomDatasetWriter(body, DicomEncoding.ImplicitLittle);
        foreach (var element in command)
        {
            if (element.Tag != new DicomTag(0x0000, 0x0000))
            {
                writer.WriteElement(element);
            }
        }

        using var result = new MemoryStream((int)body.Length + 12);
        var groupLength = new DicomDataset().AddOrUpdate(new DicomTag(0x0000, 0x0000), DicomVR.UL, (uint)body.Length);
        new DicomDatasetWriter(result, DicomEncoding.ImplicitLittle).WriteElements(groupLength, topLevel: false);
        body.Position = 0;
        body.CopyTo(result);
        return result.ToArray();
    }

    private static void CheckPixelEncapsulation(DicomDataset dataset, DicomTransferSyntax syntax)
    {
        var pixelData = dataset.GetElement(new DicomTag(0x7FE0, 0x0010));
        if (pixelData is DicomFragmentSequence && !syntax.IsEncapsulated)
        {
            throw new InvalidOperationException($"Pixel data is compressed; writing it in {syntax.Name} needs a decoder (transcode the pixels first).");
        }

        if (pixelData is DicomValueElement && syntax.IsEncapsulated)
        {
            throw new InvalidOperationException($"Pixel data is native; writing it in {syntax.Name} needs an encoder.");
        }
    }

    private void WriteElements(DicomDataset dataset, bool topLevel)
    {
        foreach (var element in dataset)
        {
            if (element.Tag.IsGroupLength && element.Tag.Group != 0x0000 && topLevel && !_includeMetaGroup)
            {
                continue;
            }

            if (element.Tag.Group == 0x0002 && topLevel && !_includeMetaGroup)
            {
                // PS3.10 7.1: group 0002 belongs to the File Meta Information, never the data set.
                continue;
            }

            WriteElement(element);
        }
    }

    private void WriteElement(DicomElement element)
    {
        switch (element)
        {
            case DicomSequence sequence:
                WriteHeader(element.Tag, DicomVR.SQ, UndefinedLength);
                foreach (var item in sequence.Items)
                {
                    WriteTagAndLength(DicomTag.Item, UndefinedLength);
                    WriteElements(item, topLevel: false);
                    WriteTagAndLength(DicomTag.ItemDelimitationItem, 0);
                }

                WriteTagAndLength(DicomTag.SequenceDelimitationItem, 0);
                break;

            case DicomFragmentSequence fragments:
                WriteHeader(element.Tag, fragments.VR, UndefinedLength);
                WriteFragment(fragments.OffsetTable);
                foreach (var fragment in fragments.Fragments)
                {
                    WriteFragment(fragment);
                }

                WriteTagAndLength(DicomTag.SequenceDelimitationItem, 0);
                break;

            case DicomValueElement value:
                WriteValueElement(value);
                break;

            default:
                throw new InvalidOperationException($"Cannot write element {element}.");
        }
    }

    private void WriteValueElement(DicomValueElement element)
    {
        var vr = element.VR;
        var length = element.Buffer.Length;
        var padded = length + (length & 1);
        if (padded > 0xFFFFFFFE)
        {
            throw new InvalidOperationException($"{element.Tag}: a value of {length} bytes cannot be encoded.");
        }

        if (_encoding.IsExplicitVR && !vr.HasLongExplicitLength && padded > 0xFFFF)
        {
            // PS3.5 6.2.2: a value too long for its VR's 16-bit length field can only travel as UN.
            vr = DicomVR.UN;
        }

        WriteHeader(element.Tag, vr, (uint)padded);
        WriteValue(element.Buffer, _encoding.IsLittleEndian || vr == DicomVR.UN ? 1 : vr.UnitSize);
        if ((length & 1) == 1)
        {
            _output.WriteByte(element.VR.PaddingByte);
        }
    }

    private void WriteFragment(DicomBuffer fragment)
    {
        var length = fragment.Length;
        WriteTagAndLength(DicomTag.Item, (uint)(length + (length & 1)));
        WriteValue(fragment, 1);
        if ((length & 1) == 1)
        {
            _output.WriteByte(0);
        }
    }

    private void WriteValue(DicomBuffer buffer, int swapUnit) => buffer.CopyTo(_output, swapUnit);

    private void WriteHeader(DicomTag tag, DicomVR vr, uint length)
    {
        var h = _header.AsSpan();
        WriteTag(h, tag);
        if (!_encoding.IsExplicitVR)
        {
            WriteUInt32(h[4..], length);
            _output.Write(h[..8]);
            return;
        }

        h[4] = (byte)vr.Code[0];
        h[5] = (byte)vr.Code[1];
        if (vr.HasLongExplicitLength)
        {
            h[6] = 0;
            h[7] = 0;
            WriteUInt32(h[8..], length);
            _output.Write(h[..12]);
        }
        else
        {
            if (_encoding.IsLittleEndian)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(h[6..], (ushort)length);
            }
            else
            {
                BinaryPrimitives.WriteUInt16BigEndian(h[6..], (ushort)length);
            }

            _output.Write(h[..8]);
        }
    }

    private void WriteTagAndLength(DicomTag tag, uint length)
    {
        var h = _header.AsSpan();
        WriteTag(h, tag);
        WriteUInt32(h[4..], length);
        _output.Write(h[..8]);
    }

    private void WriteTag(Span<byte> h, DicomTag tag)
    {
        if (_encoding.IsLittleEndian)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(h, tag.Group);
            BinaryPrimitives.WriteUInt16LittleEndian(h[2..], tag.Element);
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(h, tag.Group);
            BinaryPrimitives.WriteUInt16BigEndian(h[2..], tag.Element);
        }
    }

    private void WriteUInt32(Span<byte> h, uint value)
    {
        if (_encoding.IsLittleEndian)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(h, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(h, value);
        }
    }
}
