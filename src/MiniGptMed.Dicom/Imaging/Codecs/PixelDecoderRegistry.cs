using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MiniGptMed.Dicom.Imaging.Codecs;

/// <summary>
/// Which transfer syntaxes this process can decode: the native ones always, the encapsulated ones whose decoder
/// loaded. A decoder that cannot load is reported once, here, and its syntaxes are simply not offered; the
/// network layer asks <see cref="CanDecode"/> when it negotiates presentation contexts.
/// </summary>
public sealed partial class PixelDecoderRegistry
{
    public const string ImplicitVrLittleEndian = "1.2.840.10008.1.2";
    public const string ExplicitVrLittleEndian = "1.2.840.10008.1.2.1";
    public const string DeflatedExplicitVrLittleEndian = "1.2.840.10008.1.2.1.99";
    public const string ExplicitVrBigEndian = "1.2.840.10008.1.2.2";

    private static readonly Lazy<IFrameDecoder[]> DefaultDecoders = new(() => [.. CreateDecoders()]);

    private static readonly Lazy<PixelDecoderRegistry> Shared = new(() => new PixelDecoderRegistry(DefaultDecoders.Value, NullLogger.Instance));

    private readonly Dictionary<string, IFrameDecoder> _byTransferSyntax = new(StringComparer.Ordinal);
    private readonly List<UnavailableDecoder> _unavailable = [];

    public PixelDecoderRegistry(IEnumerable<IFrameDecoder> decoders, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(decoders);
        ArgumentNullException.ThrowIfNull(logger);
        foreach (var decoder in decoders)
        {
            if (!decoder.IsAvailable)
            {
                var reason = decoder.UnavailableReason ?? "unknown reason";
                _unavailable.Add(new UnavailableDecoder(decoder.Name, reason, decoder.TransferSyntaxUids));
                LogDecoderUnavailable(logger, decoder.Name, reason, string.Join(", ", decoder.TransferSyntaxUids));
                continue;
            }

            foreach (var uid in decoder.TransferSyntaxUids)
            {
                _byTransferSyntax.TryAdd(uid, decoder);
            }
        }
    }

    /// <summary>The registry with every decoder this assembly has, without logging.</summary>
    public static PixelDecoderRegistry Default => Shared.Value;

    /// <summary>Uncompressed transfer syntaxes (PS3.5 A.1, A.2, A.5): the pixel data layout is the same.</summary>
    public static IReadOnlyList<string> NativeTransferSyntaxes { get; } =
        [ImplicitVrLittleEndian, ExplicitVrLittleEndian, DeflatedExplicitVrLittleEndian, ExplicitVrBigEndian];

    public IReadOnlyList<UnavailableDecoder> Unavailable => _unavailable;

    /// <summary>Every transfer syntax whose pixel data this process can turn into images.</summary>
    public IReadOnlyList<string> DecodableTransferSyntaxes =>
        [.. NativeTransferSyntaxes, .. _byTransferSyntax.Keys.Order(StringComparer.Ordinal)];

    public static IEnumerable<IFrameDecoder> CreateDecoders() =>
        [new RleLosslessDecoder(), new JpegFrameDecoder(), new CharLsJpegLsDecoder(), new OpenJpegJ2kDecoder()];

    /// <summary>
    /// The default decoder for one transfer syntax, probing only that decoder's native library: building
    /// <see cref="Default"/> loads every codec library, which a one-shot <c>render</c> of a JPEG file does not need.
    /// </summary>
    public static bool TryGetDefaultDecoder(string transferSyntaxUid, out IFrameDecoder decoder)
    {
        if (Shared.IsValueCreated)
        {
            return Shared.Value.TryGetDecoder(transferSyntaxUid, out decoder);
        }

        foreach (var candidate in DefaultDecoders.Value)
        {
            if (candidate.TransferSyntaxUids.Contains(transferSyntaxUid) && candidate.IsAvailable)
            {
                decoder = candidate;
                return true;
            }
        }

        decoder = null!;
        return false;
    }

    public static bool IsNative(string transferSyntaxUid) => NativeTransferSyntaxes.Contains(transferSyntaxUid);

    public bool CanDecode(string transferSyntaxUid) =>
        IsNative(transferSyntaxUid) || _byTransferSyntax.ContainsKey(transferSyntaxUid);

    public bool TryGetDecoder(string transferSyntaxUid, out IFrameDecoder decoder) =>
        _byTransferSyntax.TryGetValue(transferSyntaxUid, out decoder!);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning,
        Message = "Pixel decoder {Decoder} is unavailable ({Reason}); transfer syntaxes {TransferSyntaxes} will not be offered")]
    private static partial void LogDecoderUnavailable(ILogger logger, string decoder, string reason, string transferSyntaxes);
}

/// <summary>A decoder that did not load, why, and which syntaxes are therefore not offered.</summary>
public sealed record UnavailableDecoder(string Name, string Reason, IReadOnlyList<string> TransferSyntaxUids);
