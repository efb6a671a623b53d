using System.Runtime.InteropServices;

namespace MiniGptMed.Dicom.Imaging.Codecs;

/// <summary>
/// JPEG 2000 lossless and lossy (PS3.5 A.4.4, 1.2.840.10008.1.2.4.90/.91) through OpenJPEG 2.5 (Debian
/// libopenjp2-7), bound at run time so that a missing library only removes these transfer syntaxes.
/// </summary>
public sealed unsafe class OpenJpegJ2kDecoder : IFrameDecoder
{
    public const string LosslessUid = "1.2.840.10008.1.2.4.90";
    public const string LossyUid = "1.2.840.10008.1.2.4.91";

    // opj_dparameters_t holds file-name arrays of OPJ_PATH_LEN (4096); the library fills it, so we only size it.
    private const int DecoderParametersSize = 64 * 1024;

    public const string DefaultLibrary = "libopenjp2.so.7";

    // One binding per library name for the whole process: loading is attempted once.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<(Api? Api, string? Error)>> Bindings = new(StringComparer.Ordinal);

    private readonly Lazy<(Api? Api, string? Error)> _binding;

    public OpenJpegJ2kDecoder(string libraryName = DefaultLibrary)
    {
        LibraryName = libraryName;
        _binding = Bindings.GetOrAdd(libraryName, name => new Lazy<(Api? Api, string? Error)>(() => Load(name)));
    }

    /// <summary>The shared object bound at run time.</summary>
    public string LibraryName { get; }

    public string Name => "JPEG 2000 (OpenJPEG)";

    public IReadOnlyList<string> TransferSyntaxUids { get; } = [LosslessUid, LossyUid];

    public bool IsAvailable => _binding.Value.Api is not null;

    public string? UnavailableReason => _binding.Value.Error;

    public DecodedFrame Decode(ReadOnlyMemory<byte> frame, PixelDataInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        info.Validate();
        var api = _binding.Value.Api ?? throw new DicomImagingException($"JPEG 2000 decoder is not available: {_binding.Value.Error}", info.SopInstanceUid);

        // PS3.5 A.4.4: the fragments hold a J2K codestream; some writers wrap it in a JP2 file.
        var span = frame.Span;
        var format = span.Length >= 12 && span[4] == (byte)'j' && span[5] == (byte)'P' ? CodecJp2 : CodecJ2k;
        using var pin = frame.Pin();
        var source = new MemorySource { Data = (byte*)pin.Pointer, Length = frame.Length, Position = 0 };
        nint codec = 0, stream = 0;
        OpjImage* image = null;
        var parameters = NativeMemory.AllocZeroed(DecoderParametersSize);
        try
        {
            codec = api.CreateDecompress(format);
            api.SetDefaultDecoderParameters(parameters);
            if (codec == 0 || api.SetupDecoder(codec, parameters) == 0)
            {
                throw new DicomImagingException("OpenJPEG could not set up a decoder", info.SopInstanceUid);
            }

            if (api.SetStrictMode is not null)
            {
                // Without strict mode OpenJPEG returns whatever it could decode from a truncated codestream.
                api.SetStrictMode(codec, 1);
            }

            stream = api.StreamCreate(1 << 16, 1);
            api.StreamSetRead(stream, &Read);
            api.StreamSetSkip(stream, &Skip);
            api.StreamSetSeek(stream, &Seek);
            api.StreamSetUserData(stream, &source, null);
            api.StreamSetUserDataLength(stream, (ulong)frame.Length);

            if (api.ReadHeader(stream, codec, &image) == 0 || image is null)
            {
                throw new DicomImagingException("JPEG 2000 header cannot be read", info.SopInstanceUid);
            }

            // Check the header against the data set before OpenJPEG allocates the image it describes.
            if (image->X1 - image->X0 != info.Columns || image->Y1 - image->Y0 != info.Rows || image->NumComps != info.SamplesPerPixel)
            {
                info.Fail($"JPEG 2000 header says {image->X1 - image->X0} x {image->Y1 - image->Y0} x {image->NumComps} but the data set says {info.Columns} x {info.Rows} x {info.SamplesPerPixel}");
            }

            if (api.Decode(codec, stream, image) == 0 || api.EndDecompress(codec, stream) == 0)
            {
                throw new DicomImagingException("JPEG 2000 codestream cannot be decoded (truncated or corrupt)", info.SopInstanceUid);
            }

            return Collect(image, info);
        }
        finally
        {
            if (image is not null)
            {
                api.ImageDestroy(image);
            }

            if (stream != 0)
            {
                api.StreamDestroy(stream);
            }

            if (codec != 0)
            {
                api.DestroyCodec(codec);
            }

            NativeMemory.Free(parameters);
        }
    }

    private static DecodedFrame Collect(OpjImage* image, PixelDataInfo info)
    {
        if (image->NumComps != info.SamplesPerPixel)
        {
            info.Fail($"JPEG 2000 image has {image->NumComps} components but Samples per Pixel is {info.SamplesPerPixel}");
        }

        var pixels = (int)info.PixelsPerFrame;
        var components = info.SamplesPerPixel;
        var samples = new int[info.SamplesPerFrame];
        var shift = 32 - info.BitsStored;
        var mask = (int)((1L << info.BitsStored) - 1);
        for (var c = 0; c < components; c++)
        {
            var comp = &image->Comps[c];
            if (comp->W != info.Columns || comp->H != info.Rows || comp->Data is null)
            {
                info.Fail($"JPEG 2000 component {c + 1} is {comp->W} x {comp->H} but the data set says {info.Columns} x {info.Rows}");
            }

            var data = new ReadOnlySpan<int>(comp->Data, pixels);
            for (var p = 0; p < pixels; p++)
            {
                // PS3.5 8.2.4: Pixel Representation governs; the codestream's sign flag may disagree (seen in the wild).
                var value = data[p];
                samples[(p * components) + c] = info.BitsStored >= 32 ? value
                    : info.IsSigned ? ((value & mask) << shift) >> shift
                    : comp->Sgnd != 0 ? value & mask : Math.Clamp(value, 0, mask);
            }
        }

        // PS3.5 A.4.4: YBR_RCT / YBR_ICT tell that the multi-component transform was used; OpenJPEG undoes it.
        var photometric = info.Photometric == PhotometricInterpretation.YbrRct || info.Photometric == PhotometricInterpretation.YbrIct
            ? PhotometricInterpretation.Rgb
            : info.Photometric;
        return new DecodedFrame(info.Rows, info.Columns, photometric, info.BitsStored, info.IsSigned, samples);
    }

    [UnmanagedCallersOnly]
    private static nuint Read(void* buffer, nuint count, void* userData)
    {
        var source = (MemorySource*)userData;
        var remaining = source->Length - source->Position;
        if (remaining <= 0)
        {
            return nuint.MaxValue; // (OPJ_SIZE_T)-1: end of stream
        }

        var n = (int)Math.Min((long)count, remaining);
        Buffer.MemoryCopy(source->Data + source->Position, buffer, (long)count, n);
        source->Position += n;
        return (nuint)n;
    }

    [UnmanagedCallersOnly]
    private static long Skip(long count, void* userData)
    {
        var source = (MemorySource*)userData;
        var target = Math.Clamp(source->Position + count, 0, source->Length);
        var skipped = target - source->Position;
        source->Position = target;
        return skipped == 0 && count != 0 ? -1 : skipped;
    }

    [UnmanagedCallersOnly]
    private static int Seek(long offset, void* userData)
    {
        var source = (MemorySource*)userData;
        if (offset < 0 || offset > source->Length)
        {
            return 0;
        }

        source->Position = offset;
        return 1;
    }

    private const int CodecJ2k = 0;
    private const int CodecJp2 = 2;

    private static (Api? Api, string? Error) Load(string libraryName)
    {
        if (!NativeLibrary.TryLoad(libraryName, typeof(OpenJpegJ2kDecoder).Assembly, null, out var handle))
        {
            return (null, $"{libraryName} not found (install Debian package libopenjp2-7)");
        }

        try
        {
            nint Export(string name) => NativeLibrary.GetExport(handle, name);
            return (new Api
            {
                CreateDecompress = (delegate* unmanaged<int, nint>)Export("opj_create_decompress"),
                SetDefaultDecoderParameters = (delegate* unmanaged<void*, void>)Export("opj_set_default_decoder_parameters"),
                SetupDecoder = (delegate* unmanaged<nint, void*, int>)Export("opj_setup_decoder"),
                SetStrictMode = NativeLibrary.TryGetExport(handle, "opj_decoder_set_strict_mode", out var strict)
                    ? (delegate* unmanaged<nint, int, int>)strict
                    : null,
                StreamCreate = (delegate* unmanaged<nuint, int, nint>)Export("opj_stream_create"),
                StreamSetRead = (delegate* unmanaged<nint, delegate* unmanaged<void*, nuint, void*, nuint>, void>)Export("opj_stream_set_read_function"),
                StreamSetSkip = (delegate* unmanaged<nint, delegate* unmanaged<long, void*, long>, void>)Export("opj_stream_set_skip_function"),
                StreamSetSeek = (delegate* unmanaged<nint, delegate* unmanaged<long, void*, int>, void>)Export("opj_stream_set_seek_function"),
                StreamSetUserData = (delegate* unmanaged<nint, void*, void*, void>)Export("opj_stream_set_user_data"),
                StreamSetUserDataLength = (delegate* unmanaged<nint, ulong, void>)Export("opj_stream_set_user_data_length"),
                ReadHeader = (delegate* unmanaged<nint, nint, OpjImage**, int>)Export("opj_read_header"),
                Decode = (delegate* unmanaged<nint, nint, OpjImage*, int>)Export("opj_decode"),
                EndDecompress = (delegate* unmanaged<nint, nint, int>)Export("opj_end_decompress"),
                StreamDestroy = (delegate* unmanaged<nint, void>)Export("opj_stream_destroy"),
                DestroyCodec = (delegate* unmanaged<nint, void>)Export("opj_destroy_codec"),
                ImageDestroy = (delegate* unmanaged<OpjImage*, void>)Export("opj_image_destroy"),
            }, null);
        }
        catch (EntryPointNotFoundException ex)
        {
            return (null, $"{libraryName} lacks {ex.Message}");
        }
    }

    private struct MemorySource
    {
        public byte* Data;
        public long Length;
        public long Position;
    }

    /// <summary>opj_image_t (openjpeg.h 2.5).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct OpjImage
    {
        public uint X0, Y0, X1, Y1, NumComps;
        public int ColorSpace;
        public OpjImageComp* Comps;
        public byte* IccProfile;
        public uint IccProfileLength;
    }

    /// <summary>opj_image_comp_t (openjpeg.h 2.5, with the deprecated bpp member still in place).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct OpjImageComp
    {
        public uint Dx, Dy, W, H, X0, Y0, Prec, Bpp, Sgnd, ResnoDecoded, Factor;
        public int* Data;
        public ushort Alpha;
    }

    private sealed class Api
    {
        public required delegate* unmanaged<int, nint> CreateDecompress;
        public required delegate* unmanaged<void*, void> SetDefaultDecoderParameters;
        public required delegate* unmanaged<nint, void*, int> SetupDecoder;
        public required delegate* unmanaged<nint, int, int> SetStrictMode;
        public required delegate* unmanaged<nuint, int, nint> StreamCreate;
        public required delegate* unmanaged<nint, delegate* unmanaged<void*, nuint, void*, nuint>, void> StreamSetRead;
        public required delegate* unmanaged<nint, delegate* unmanaged<long, void*, long>, void> StreamSetSkip;
        public required delegate* unmanaged<nint, delegate* unmanaged<long, void*, int>, void> StreamSetSeek;
        public required delegate* unmanaged<nint, void*, void*, void> StreamSetUserData;
        public required delegate* unmanaged<nint, ulong, void> StreamSetUserDataLength;
        public required delegate* unmanaged<nint, nint, OpjImage**, int> ReadHeader;
        public required delegate* unmanaged<nint, nint, OpjImage*, int> Decode;
        public required delegate* unmanaged<nint, nint, int> EndDecompress;
        public required delegate* unmanaged<nint, void> StreamDestroy;
        public required delegate* unmanaged<nint, void> DestroyCodec;
        public required delegate* unmanaged<OpjImage*, void> ImageDestroy;
    }
}
