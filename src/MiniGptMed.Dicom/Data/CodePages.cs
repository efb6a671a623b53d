using System.Text;

namespace MiniGptMed.Dicom.Data;

/// <summary>.NET encodings for the whole-value character sets (UTF-8, GB18030, GBK), with exception fallbacks.</summary>
internal static class CodePages
{
    static CodePages()
    {
        // GB18030 (54936) and GBK (936) live in System.Text.Encoding.CodePages, which ships in the
        // shared framework but must be registered; InvariantGlobalization does not affect it.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    /// <summary>An encoding that throws on bytes or characters it cannot map, so callers notice and warn.</summary>
    public static Encoding Get(int codePage) =>
        Encoding.GetEncoding(codePage, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
}
