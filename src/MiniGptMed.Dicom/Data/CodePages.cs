using System.Text;

namespace MiniGptMed.Dicom.Data;

/// <summary>.NET encodings of the code pages DICOM character sets map to, with exception fallbacks.</summary>
internal static class CodePages
{
    static CodePages()
    {
        // The ISO 8859 parts, EUC and GB code pages live in System.Text.Encoding.CodePages, which
        // ships in the shared framework but must be registered; InvariantGlobalization does not affect it.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    /// <summary>An encoding that throws on bytes or characters it cannot map, so callers notice and warn.</summary>
    public static Encoding Get(int codePage) =>
        Encoding.GetEncoding(codePage, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);

    /// <summary>The 96 characters of an 8-bit code page at 0xA0-0xFF (its G1 half), U+FFFD where unassigned.</summary>
    public static char[] UpperHalf(int codePage)
    {
        var encoding = Get(codePage);
        var table = new char[96];
        Span<byte> one = stackalloc byte[1];
        Span<char> chars = stackalloc char[2];
        for (var i = 0; i < 96; i++)
        {
            one[0] = (byte)(0xA0 + i);
            try
            {
                table[i] = encoding.GetChars(one, chars) == 1 ? chars[0] : '\uFFFD';
            }
            catch (DecoderFallbackException)
            {
                table[i] = '\uFFFD';
            }
        }

        return table;
    }
}
