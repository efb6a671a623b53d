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
    /// The compressed bytes of one frame. PS3.5 A.4: with an Extended Offset Table or a Basic Offset Table the frame
    /// starts where the table says; without, one frame is all fragments, and as many fragments as frames is one each.
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

        Info.Fail($"{Info.NumberOfFrames} frames in {fragments.Count} fragments without an offset table cannot be told apart");
        return default;
    }

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
