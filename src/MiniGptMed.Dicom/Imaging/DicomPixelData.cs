using System.Runtime.InteropServices;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.Imaging.Codecs;
using MiniGptMed.Dicom.Imaging.Native;

namespace MiniGptMed.Dicom.Imaging;

/// <summary>
/// The pixel data of one instance: its Image Pixel description, read from the data set, and its frames, native or
/// encapsulated (PS3.5 8.2, A.4), decoded through the <see cref="PixelDecoderRegistry"/>.
/// </summary>
public sealed class DicomPixelData
{
    private readonly DicomElement _pixelData;
    private readonly ulong[]? _extendedOffsets;
    private readonly ulong[]? _extendedLengths;
    private int[]? _frameStarts;

    private DicomPixelData(DicomDataset dataset, string transferSyntaxUid, PixelDataInfo info, DicomElement pixelData)
    {
        Dataset = dataset;
        TransferSyntaxUid = transferSyntaxUid;
        Info = info;
        _pixelData = pixelData;
        if (pixelData is DicomFragmentSequence)
        {
            var offsets = ReadWords<ulong>(dataset, DicomTags.ExtendedOffsetTable);
            var lengths = ReadWords<ulong>(dataset, DicomTags.ExtendedOffsetTableLengths);
            if (offsets.Length > 0)
            {
                _extendedOffsets = offsets;
                _extendedLengths = lengths;
            }
        }
    }

    public DicomDataset Dataset { get; }

    public string TransferSyntaxUid { get; }

    public PixelDataInfo Info { get; }

    public bool IsEncapsulated => _pixelData is DicomFragmentSequence;

    public static DicomPixelData Create(DicomDataset dataset, string transferSyntaxUid)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(transferSyntaxUid);
        var uid = dataset.GetString(DicomTags.SOPInstanceUID);
        if (!dataset.TryGetElement(DicomTags.PixelData, out var pixelData))
        {
            throw new DicomImagingException("The data set has no Pixel Data (7FE0,0010)", uid);
        }

        try
        {
            var info = new PixelDataInfo
            {
                Rows = Required(dataset, DicomTags.Rows, uid),
                Columns = Required(dataset, DicomTags.Columns, uid),
                SamplesPerPixel = dataset.GetValueOrDefault(DicomTags.SamplesPerPixel, 1),
                BitsAllocated = Required(dataset, DicomTags.BitsAllocated, uid),
                BitsStored = Required(dataset, DicomTags.BitsStored, uid),
                HighBit = dataset.GetValueOrDefault(DicomTags.HighBit, dataset.GetValueOrDefault(DicomTags.BitsStored, 1) - 1),
                IsSigned = dataset.GetValueOrDefault(DicomTags.PixelRepresentation, 0) == 1,
                PlanarConfiguration = dataset.GetValueOrDefault(DicomTags.PlanarConfiguration, 0),
                Photometric = PhotometricInterpretation.Parse(dataset.GetString(DicomTags.PhotometricInterpretation), uid),
                NumberOfFrames = dataset.GetValueOrDefault(DicomTags.NumberOfFrames, 1),
                SopInstanceUid = uid,
            };
            info.Validate();
            return new DicomPixelData(dataset, transferSyntaxUid.TrimEnd('\0', ' '), info, pixelData);
        }
        catch (Exception ex) when (ex is DicomDataException or FormatException or InvalidCastException or OverflowException)
        {
            throw new DicomImagingException($"Image Pixel attributes cannot be read: {ex.Message}", uid, ex);
        }
    }

    /// <summary>Decodes frame <paramref name="frameIndex"/> (0-based).</summary>
    public DecodedFrame DecodeFrame(int frameIndex, PixelDecoderRegistry? registry = null)
    {
        if ((uint)frameIndex >= (uint)Info.NumberOfFrames)
        {
            Info.Fail($"Frame {frameIndex + 1} requested but the image has {Info.NumberOfFrames}");
        }

        if (_pixelData is DicomValueElement native)
        {
            if (!PixelDecoderRegistry.IsNative(TransferSyntaxUid))
            {
                Info.Fail($"Pixel Data is not encapsulated but the transfer syntax {TransferSyntaxUid} is compressed");
            }

            // The data layer holds values little endian whatever the transfer syntax was, swapping OW by 16-bit
            // words (PS3.5 7.3); 32-bit samples of a big-endian file then have their halves the wrong way round.
            var buffer = native.Buffer;
            if (!buffer.IsInMemory && Info.BitsAllocated != 1)
            {
                // A file-backed value: read only this frame, not every frame of a large multi-frame object.
                if (buffer.Length < Info.NativeBytesAllFrames)
                {
                    Info.Fail($"Pixel Data has {buffer.Length} bytes but Rows x Columns x Samples x Frames x Bits needs {Info.NativeBytesAllFrames}");
                }

                var frame = GC.AllocateUninitializedArray<byte>((int)Info.NativeBytesPerFrame);
                buffer.Read(Info.NativeBytesPerFrame * frameIndex, frame);
                if (Info.BitsAllocated == 32 && TransferSyntaxUid == PixelDecoderRegistry.ExplicitVrBigEndian && native.VR == DicomVR.OW)
                {
                    frame = SwapWordHalves(frame);
                }

                return NativePixelDecoder.DecodeFrameBytes(frame, Info);
            }

            var bytes = buffer.GetMemory();
            if (Info.BitsAllocated == 32 && TransferSyntaxUid == PixelDecoderRegistry.ExplicitVrBigEndian && native.VR == DicomVR.OW)
            {
                return NativePixelDecoder.DecodeFrame(SwapWordHalves(bytes.Span), Info, frameIndex);
            }

            return NativePixelDecoder.DecodeFrame(bytes.Span, Info, frameIndex);
        }

        var found = registry is null
            ? PixelDecoderRegistry.TryGetDefaultDecoder(TransferSyntaxUid, out var decoder)
            : registry.TryGetDecoder(TransferSyntaxUid, out decoder);
        if (!found)
        {
            throw new DicomImagingException($"No decoder is available for transfer syntax {TransferSyntaxUid}", Info.SopInstanceUid);
        }

        return decoder.Decode(GetFrameBytes(frameIndex), Info);
    }

    /// <summary>
    /// Decodes frame <paramref name="frameIndex"/> line by line when its codec allows it (single-component JPEG
    /// lossless by our decoder), handing each line of stored values (not sign-extended) to <paramref name="onRow"/>.
    /// Returns false, before any line, when it does not; <see cref="DecodeFrame"/> then decodes it whole.
    /// </summary>
    internal bool TryDecodeFrameRows(int frameIndex, LosslessRowHandler onRow, PixelDecoderRegistry? registry = null)
    {
        if (_pixelData is not DicomFragmentSequence
            || TransferSyntaxUid is not (JpegFrameDecoder.Lossless or JpegFrameDecoder.LosslessSv1)
            || Info.SamplesPerPixel != 1
            || (registry is not null && !(registry.TryGetDecoder(TransferSyntaxUid, out var decoder) && decoder is JpegFrameDecoder)))
        {
            return false;
        }

        if ((uint)frameIndex >= (uint)Info.NumberOfFrames)
        {
            Info.Fail($"Frame {frameIndex + 1} requested but the image has {Info.NumberOfFrames}");
        }

        var bytes = GetFrameBytes(frameIndex);

        // A stream without EOI is reported by the whole-frame path, with the same message as always.
        return JpegMarkers.EndsWithEoi(bytes.Span) && JpegLosslessDecoder.TryDecodeRows(bytes.Span, Info, onRow);
    }

    /// <summary>
    /// The compressed bytes of one frame. PS3.5 A.4: with an Extended Offset Table or a Basic Offset Table the frame
    /// starts where the table says; without, one frame is all fragments, as many fragments as frames is one each,
    /// and otherwise the frames start at the fragments that begin a codestream.
    /// </summary>
    public ReadOnlyMemory<byte> GetFrameBytes(int frameIndex)
    {
        if (_pixelData is not DicomFragmentSequence sequence)
        {
            throw new InvalidOperationException("Native pixel data has no fragments.");
        }

        var fragments = sequence.Fragments;
        if (fragments.Count == 0)
        {
            Info.Fail("Encapsulated Pixel Data has no fragments");
        }

        // Each fragment occupies an 8-byte item header plus its value; offsets count from the first item's tag.
        var starts = new long[fragments.Count + 1];
        for (var i = 0; i < fragments.Count; i++)
        {
            starts[i + 1] = starts[i] + 8 + fragments[i].Length;
        }

        if (_extendedOffsets is not null)
        {
            if (_extendedOffsets.Length != Info.NumberOfFrames || _extendedLengths is null || _extendedLengths.Length != _extendedOffsets.Length)
            {
                Info.Fail($"Extended Offset Table has {_extendedOffsets.Length} entries for {Info.NumberOfFrames} frames");
            }

            var start = _extendedOffsets[frameIndex];
            var index = Array.IndexOf(starts, (long)start);
            if (start > (ulong)starts[^1] || index < 0 || index >= fragments.Count)
            {
                Info.Fail($"Extended Offset Table entry {frameIndex + 1} ({start}) does not point at a fragment");
            }

            // PS3.5 A.4: with an Extended Offset Table each frame is exactly one fragment.
            var bytes = fragments[index].GetMemory();
            var length = _extendedLengths[frameIndex];
            return length <= (ulong)bytes.Length ? bytes[..(int)length] : bytes;
        }

        var basic = sequence.GetBasicOffsets();
        if (basic.Length > 0)
        {
            if (basic.Length != Info.NumberOfFrames)
            {
                Info.Fail($"Basic Offset Table has {basic.Length} entries for {Info.NumberOfFrames} frames");
            }

            var first = Array.IndexOf(starts, (long)basic[frameIndex]);
            var endOffset = frameIndex + 1 < basic.Length ? (long)basic[frameIndex + 1] : starts[^1];
            var last = Array.IndexOf(starts, endOffset);
            if (first < 0 || first >= fragments.Count || last <= first)
            {
                Info.Fail($"Basic Offset Table entry {frameIndex + 1} ({basic[frameIndex]}) points past the fragments or between them");
            }

            return Concatenate(fragments, first, last);
        }

        if (Info.NumberOfFrames == 1)
        {
            return Concatenate(fragments, 0, fragments.Count);
        }

        if (fragments.Count == Info.NumberOfFrames)
        {
            return fragments[frameIndex].GetMemory();
        }

        var frameStarts = _frameStarts ??= FindFrameStarts(fragments);
        var end = frameIndex + 1 < frameStarts.Length ? frameStarts[frameIndex + 1] : fragments.Count;
        return Concatenate(fragments, frameStarts[frameIndex], end);
    }

    /// <summary>
    /// PS3.5 A.4: without an offset table a frame may still span several fragments, but each frame begins a new
    /// fragment with its codestream, so the fragments that start with the codec's start-of-codestream marker are
    /// the frame starts. RLE has no such marker and PS3.5 G.1 makes each frame exactly one fragment.
    /// </summary>
    private int[] FindFrameStarts(List<DicomBuffer> fragments)
    {
        var frames = Info.NumberOfFrames;
        Func<ReadOnlySpan<byte>, bool>? startsCodestream = TransferSyntaxUid switch
        {
            RleLosslessDecoder.TransferSyntaxUid => null,
            _ when IsJpeg2000(TransferSyntaxUid) => static head =>
                // T.800 A.4.1 / A.5.1: SOC (FF4F) then SIZ (FF51); or a JP2 file's signature box (T.800 I.5.1).
                (head[0] == 0xFF && head[1] == 0x4F && head[2] == 0xFF && head[3] == 0x51)
                || (head[4] == (byte)'j' && head[5] == (byte)'P' && head[6] == 0x20 && head[7] == 0x20),
            // T.81 B.2.1 and T.87: JPEG and JPEG-LS streams begin with SOI (FFD8).
            _ when TransferSyntaxUid.StartsWith("1.2.840.10008.1.2.4.", StringComparison.Ordinal) => static head => head[0] == 0xFF && head[1] == 0xD8,
            _ => null,
        };
        if (startsCodestream is null)
        {
            Info.Fail(TransferSyntaxUid == RleLosslessDecoder.TransferSyntaxUid
                ? $"RLE Lossless has {frames} frames in {fragments.Count} fragments, but PS3.5 G.1 requires one fragment per frame"
                : $"{frames} frames in {fragments.Count} fragments without an offset table cannot be told apart for transfer syntax {TransferSyntaxUid}");
        }

        var starts = new List<int>(frames);
        Span<byte> head = stackalloc byte[8];
        for (var i = 0; i < fragments.Count; i++)
        {
            if (fragments[i].Length < head.Length)
            {
                continue;
            }

            fragments[i].Read(0, head);
            if (startsCodestream!(head))
            {
                starts.Add(i);
            }
        }

        if (starts.Count != frames || starts[0] != 0)
        {
            Info.Fail($"{frames} frames in {fragments.Count} fragments without an offset table: found {starts.Count} start-of-codestream markers, the first in fragment {(starts.Count > 0 ? starts[0] + 1 : 0)}");
        }

        return [.. starts];
    }

    private static bool IsJpeg2000(string uid) =>
        uid is OpenJpegJ2kDecoder.LosslessUid or OpenJpegJ2kDecoder.LossyUid
            or "1.2.840.10008.1.2.4.92" or "1.2.840.10008.1.2.4.93" // Part 2 multi-component
            or "1.2.840.10008.1.2.4.201" or "1.2.840.10008.1.2.4.202" or "1.2.840.10008.1.2.4.203"; // HTJ2K

    private static ReadOnlyMemory<byte> Concatenate(List<DicomBuffer> fragments, int first, int last)
    {
        if (last - first == 1)
        {
            return fragments[first].GetMemory();
        }

        var total = 0L;
        for (var i = first; i < last; i++)
        {
            total += fragments[i].Length;
        }

        var bytes = new byte[total];
        var position = 0;
        for (var i = first; i < last; i++)
        {
            var memory = fragments[i].GetMemory();
            memory.CopyTo(bytes.AsMemory(position));
            position += memory.Length;
        }

        return bytes;
    }

    private static byte[] SwapWordHalves(ReadOnlySpan<byte> source)
    {
        var result = source.ToArray();
        for (var i = 0; i + 3 < result.Length; i += 4)
        {
            (result[i], result[i + 1], result[i + 2], result[i + 3]) = (result[i + 2], result[i + 3], result[i], result[i + 1]);
        }

        return result;
    }

    private static int Required(DicomDataset dataset, DicomTag tag, string? uid) =>
        dataset.TryGetValue<int>(tag, out var value)
            ? value
            : throw new DicomImagingException($"{tag} is missing or empty", uid);

    internal static T[] ReadWords<T>(DicomDataset dataset, DicomTag tag)
        where T : unmanaged
    {
        if (!dataset.TryGetElement(tag, out var element) || element is not DicomValueElement value)
        {
            return [];
        }

        return MemoryMarshal.Cast<byte, T>(value.Buffer.GetMemory().Span).ToArray();
    }
}
