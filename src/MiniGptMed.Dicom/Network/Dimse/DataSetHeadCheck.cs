using System.Buffers;
using System.Buffers.Binary;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;

namespace MiniGptMed.Dicom.Network.Dimse;

/// <summary>
/// The cheap half of the store's check, done while the data set streams in: the first bytes are kept (bounded),
/// parsed up to Pixel Data, and the Pixel Data length is checked against what arrived. When that proves the data set
/// whole and the UIDs those of the command, the file need not be read again. Anything it cannot prove (a header
/// longer than the kept prefix, encapsulated or trailing elements, a mismatch) is left to the full parse of the
/// written file, which alone gives the failure statuses: this check only ever says "fine" or "don't know".
/// </summary>
internal sealed class DataSetHeadCheck : IDisposable
{
    /// <summary>Enough for the attributes before Pixel Data of nearly every image (a CT's are about 2 KiB).</summary>
    public const int HeadLimit = 64 * 1024;

    private static readonly DicomTag PixelDataTag = new(0x7FE0, 0x0010);
    private static readonly DicomReaderOptions HeadOptions = new() { StopBeforeTag = PixelDataTag };
    private byte[]? _head = ArrayPool<byte>.Shared.Rent(HeadLimit);
    private int _headLength;
    private long _total;

    /// <summary>
    /// After <see cref="ProvesComplete"/> returned true: null when the Pixel Data fits the Image Pixel module (or there
    /// is none), else what is wrong (<see cref="PixelDataFit"/>), found from the head alone.
    /// </summary>
    public string? PixelProblem { get; private set; }

    /// <summary>
    /// After <see cref="ProvesComplete"/>: what the catalogue needs, when the head parsed (whether or not it proved the
    /// data set whole); null when it did not, and the store reads the facts from its full parse instead.
    /// </summary>
    public InstanceFacts? Facts { get; private set; }

    public void Observe(ReadOnlySequence<byte> fragment)
    {
        _total += fragment.Length;
        if (_head is null || _headLength == HeadLimit)
        {
            return;
        }

        var take = (int)Math.Min(HeadLimit - _headLength, fragment.Length);
        fragment.Slice(0, take).CopyTo(_head.AsSpan(_headLength));
        _headLength += take;
    }

    /// <summary>True when the data set is provably complete and names <paramref name="sopClassUid"/>/<paramref name="sopInstanceUid"/>.</summary>
    public bool ProvesComplete(DicomTransferSyntax syntax, string sopClassUid, string sopInstanceUid)
    {
        if (_head is null || syntax.IsDeflated || syntax.IsEncapsulated)
        {
            return false;
        }

        var encoding = DicomEncoding.Of(syntax);
        var dataset = new DicomDataset();
        long stoppedAt;
        try
        {
            using var stream = new MemoryStream(_head, 0, _headLength, writable: false);
            using var input = new DicomInput(stream, ownsStream: false, bufferSize: 4096);
            new DicomDatasetParser(input, HeadOptions, null, []).ReadTopLevel(dataset, encoding);
            stoppedAt = input.Position;
        }
        catch (Exception ex) when (ex is DicomFormatException or DicomDataException or EndOfStreamException or InvalidDataException)
        {
            return false;
        }

        // Kept rather than thrown away: the study and series place the file in the layout, the rest goes to the
        // catalogue. Conclusive only when the parse reached Pixel Data within the head or the head is the whole data
        // set; a head cut at an element boundary would silently miss the later attributes.
        if (stoppedAt < _headLength || _total == _headLength)
        {
            Facts = InstanceFacts.From(dataset);
        }

        if (dataset.GetString(DicomTags.SOPClassUID) != sopClassUid || dataset.GetString(DicomTags.SOPInstanceUID) != sopInstanceUid)
        {
            return false;
        }

        if (stoppedAt == _total)
        {
            // No Pixel Data, and everything arrived within the prefix and parsed.
            return _total == _headLength;
        }

        if (PixelDataEndsDataSet(_head.AsSpan((int)stoppedAt, _headLength - (int)stoppedAt), encoding, stoppedAt) is not { } length)
        {
            return false;
        }

        PixelProblem = PixelDataFit.CheckNative(dataset, length);
        return true;
    }

    /// <summary>PS3.5 7.1: the length of the element at the stop when it is Pixel Data with a defined length that ends exactly where the data set did.</summary>
    private long? PixelDataEndsDataSet(ReadOnlySpan<byte> header, DicomEncoding encoding, long offset)
    {
        if (header.Length < 12)
        {
            return null;
        }

        var little = encoding.IsLittleEndian;
        var group = little ? BinaryPrimitives.ReadUInt16LittleEndian(header) : BinaryPrimitives.ReadUInt16BigEndian(header);
        var element = little ? BinaryPrimitives.ReadUInt16LittleEndian(header[2..]) : BinaryPrimitives.ReadUInt16BigEndian(header[2..]);
        if (new DicomTag(group, element) != PixelDataTag)
        {
            return null;
        }

        uint length;
        int headerLength;
        if (!encoding.IsExplicitVR)
        {
            length = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
            headerLength = 8;
        }
        else if (header[4] == (byte)'O' && header[5] is (byte)'B' or (byte)'W')
        {
            // PS3.5 Table 7.1-1: OB/OW have two reserved bytes and a 32-bit length.
            length = little ? BinaryPrimitives.ReadUInt32LittleEndian(header[8..]) : BinaryPrimitives.ReadUInt32BigEndian(header[8..]);
            headerLength = 12;
        }
        else
        {
            return null;
        }

        return length != 0xFFFFFFFF && offset + headerLength + length == _total ? length : null;
    }

    public void Dispose()
    {
        if (_head is { } head)
        {
            _head = null;
            ArrayPool<byte>.Shared.Return(head);
        }
    }
}
