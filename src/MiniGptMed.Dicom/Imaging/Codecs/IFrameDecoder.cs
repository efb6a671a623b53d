namespace MiniGptMed.Dicom.Imaging.Codecs;

/// <summary>
/// A decompressor for the frames of one family of encapsulated transfer syntaxes (PS3.5 8.2, A.4).
/// Native libraries may be missing: <see cref="IsAvailable"/> says whether it can run here.
/// </summary>
public interface IFrameDecoder
{
    string Name { get; }

    IReadOnlyList<string> TransferSyntaxUids { get; }

    bool IsAvailable { get; }

    /// <summary>Why the decoder cannot run (for the one report at start), or null.</summary>
    string? UnavailableReason { get; }

    /// <summary>Decodes one frame (all its fragments concatenated) described by <paramref name="info"/>.</summary>
    DecodedFrame Decode(ReadOnlyMemory<byte> frame, PixelDataInfo info);
}
