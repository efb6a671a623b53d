using System.Runtime.InteropServices;
using MiniGptMed.Dicom.Imaging.Native;

namespace MiniGptMed.Dicom.Imaging.Codecs;

/// <summary>
/// JPEG-LS lossless and near-lossless (PS3.5 A.4.3, 1.2.840.10008.1.2.4.80/.81) through CharLS 2
/// (Debian libcharls2), bound at run time so that a missing library only removes these transfer syntaxes.
/// </summary>
public sealed unsafe class CharLsJpegLsDecoder : IFrameDecoder
{
    public const string LosslessUid = "1.2.840.10008.1.2.4.80";
    public const string NearLosslessUid = "1.2.840.10008.1.2.4.81";

    public const string DefaultLibrary = "libcharls.so.2";

    // One binding per library name for the whole process: loading is attempted once.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<(Api? Api, string? Error)>> Bindings = new(StringComparer.Ordinal);

    private readonly Lazy<(Api? Api, string? Error)> _binding;

    public CharLsJpegLsDecoder(string libraryName = DefaultLibrary)
    {
        LibraryName = libraryName;
        _binding = Bindings.GetOrAdd(libraryName, name => new Lazy<(Api? Api, string? Error)>(() => Load(name)));
    }

    /// <summary>The shared object bound at run time.</summary>
    public string LibraryName { get; }

    public string Name => "JPEG-LS (CharLS)";

    public IReadOnlyList<string> TransferSyntaxUids { get; } = [LosslessUid, NearLosslessUid];

    public bool IsAvailable => _binding.Value.Api is not null;

    public string? UnavailableReason => _binding.Value.Error;

    public DecodedFrame Decode(ReadOnlyMemory<byte> frame, PixelDataInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        info.Validate();
        var api = _binding.Value.Api ?? throw new DicomImagingException($"JPEG-LS decoder is not available: {_binding.Value.Error}", info.SopInstanceUid);
        // CharLS 2.4.1 (Debian 12) can loop forever on a stream cut short; a complete stream ends with EOI
        // (ITU T.87 / T.81 B.2.1), so refuse one that does not before handing it over.
        if (!JpegMarkers.EndsWithEoi(frame.Span))
        {
            info.Fail("JPEG-LS stream ends without an EOI marker: the scan is cut short");
        }

        var decoder = api.Create();
        if (decoder == 0)
        {
            throw new DicomImagingException("CharLS could not create a decoder", info.SopInstanceUid);
        }

        try
        {
            using var pin = frame.Pin();
            Check(api, api.SetSource(decoder, pin.Pointer, (nuint)frame.Length), "reading the stream", info);
            Check(api, api.ReadHeader(decoder), "reading the header", info);
            FrameInfo frameInfo;
            Check(api, api.GetFrameInfo(decoder, &frameInfo), "reading the frame info", info);
            if (frameInfo.Width != info.Columns || frameInfo.Height != info.Rows || frameInfo.ComponentCount != info.SamplesPerPixel)
            {
                info.Fail($"JPEG-LS frame is {frameInfo.Width} x {frameInfo.Height} x {frameInfo.ComponentCount} but the data set says {info.Columns} x {info.Rows} x {info.SamplesPerPixel}");
            }

            var bytesPerSample = frameInfo.BitsPerSample > 8 ? 2 : 1;
            if (bytesPerSample * 8 != info.BitsAllocated)
            {
                info.Fail($"JPEG-LS frame has {frameInfo.BitsPerSample} bits per sample, which does not fit Bits Allocated {info.BitsAllocated}");
            }

            int interleave;
            Check(api, api.GetInterleaveMode(decoder, &interleave), "reading the interleave mode", info);
            nuint size;
            Check(api, api.GetDestinationSize(decoder, 0, &size), "sizing the output", info);
            if ((long)size != info.NativeBytesPerFrame)
            {
                info.Fail($"JPEG-LS output of {size} bytes does not match the frame size {info.NativeBytesPerFrame}");
            }

            var output = new byte[size];
            fixed (byte* destination = output)
            {
                Check(api, api.DecodeToBuffer(decoder, destination, size, 0), "decoding", info);
            }

            // CharLS returns interleave mode "none" as one plane per component, the others pixel by pixel.
            var native = info with { NumberOfFrames = 1, PlanarConfiguration = interleave == 0 && info.SamplesPerPixel > 1 ? 1 : 0 };
            return NativePixelDecoder.DecodeFrameBytes(output, native);
        }
        finally
        {
            api.Destroy(decoder);
        }
    }

    private static void Check(Api api, int error, string step, PixelDataInfo info)
    {
        if (error != 0)
        {
            var message = Marshal.PtrToStringUTF8(api.ErrorMessage(error)) ?? $"error {error}";
            throw new DicomImagingException($"JPEG-LS frame cannot be decoded ({step}): {message}", info.SopInstanceUid);
        }
    }

    private static (Api? Api, string? Error) Load(string libraryName)
    {
        if (!NativeLibrary.TryLoad(libraryName, typeof(CharLsJpegLsDecoder).Assembly, null, out var handle))
        {
            return (null, $"{libraryName} not found (install Debian package libcharls2)");
        }

        try
        {
            return (new Api
            {
                Create = (delegate* unmanaged<nint>)NativeLibrary.GetExport(handle, "charls_jpegls_decoder_create"),
                Destroy = (delegate* unmanaged<nint, void>)NativeLibrary.GetExport(handle, "charls_jpegls_decoder_destroy"),
                SetSource = (delegate* unmanaged<nint, void*, nuint, int>)NativeLibrary.GetExport(handle, "charls_jpegls_decoder_set_source_buffer"),
                ReadHeader = (delegate* unmanaged<nint, int>)NativeLibrary.GetExport(handle, "charls_jpegls_decoder_read_header"),
                GetFrameInfo = (delegate* unmanaged<nint, FrameInfo*, int>)NativeLibrary.GetExport(handle, "charls_jpegls_decoder_get_frame_info"),
                GetInterleaveMode = (delegate* unmanaged<nint, int*, int>)NativeLibrary.GetExport(handle, "charls_jpegls_decoder_get_interleave_mode"),
                GetDestinationSize = (delegate* unmanaged<nint, uint, nuint*, int>)NativeLibrary.GetExport(handle, "charls_jpegls_decoder_get_destination_size"),
                DecodeToBuffer = (delegate* unmanaged<nint, void*, nuint, uint, int>)NativeLibrary.GetExport(handle, "charls_jpegls_decoder_decode_to_buffer"),
                ErrorMessage = (delegate* unmanaged<int, nint>)NativeLibrary.GetExport(handle, "charls_get_error_message"),
            }, null);
        }
        catch (EntryPointNotFoundException ex)
        {
            return (null, $"{libraryName} lacks {ex.Message}");
        }
    }

    /// <summary>charls_frame_info (charls/public_types.h).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct FrameInfo
    {
        public uint Width;
        public uint Height;
        public int BitsPerSample;
        public int ComponentCount;
    }

    private sealed class Api
    {
        public required delegate* unmanaged<nint> Create;
        public required delegate* unmanaged<nint, void> Destroy;
        public required delegate* unmanaged<nint, void*, nuint, int> SetSource;
        public required delegate* unmanaged<nint, int> ReadHeader;
        public required delegate* unmanaged<nint, FrameInfo*, int> GetFrameInfo;
        public required delegate* unmanaged<nint, int*, int> GetInterleaveMode;
        public required delegate* unmanaged<nint, uint, nuint*, int> GetDestinationSize;
        public required delegate* unmanaged<nint, void*, nuint, uint, int> DecodeToBuffer;
        public required delegate* unmanaged<int, nint> ErrorMessage;
    }
}
