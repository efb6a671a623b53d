using System.Text;

namespace MiniGptMed.Dicom.Data;

/// <summary>
/// Decodes a value under ISO 2022 code extension (PS3.5 6.1.2.5): escape sequences designate code
/// elements to G0 (bytes 0x21-0x7E) and G1 (0xA0-0xFF); delimiters bring back value 1's elements.
/// </summary>
internal static class Iso2022Decoder
{
    private const byte Esc = 0x1B;

    public static string Decode(ReadOnlySpan<byte> bytes, DicomVR vr, DicomCharacterSet charset, ref TextIssues issues)
    {
        var initialG0 = charset.InitialG0;
        var initialG1 = charset.InitialG1;
        var g0 = initialG0;
        var g1 = initialG1;
        var text = new StringBuilder(bytes.Length);
        var i = 0;
        while (i < bytes.Length)
        {
            var b = bytes[i];
            if (b == Esc)
            {
                var element = CodeElements.MatchEscape(bytes[i..]);
                if (element is null)
                {
                    issues.Invalid(i, 1);
                    text.Append('\uFFFD');
                    i++;
                    continue;
                }

                if (!charset.AllowsDesignation(element))
                {
                    issues.UndeclaredEscape(element);
                }

                if (element.Set == GraphicSet.G0)
                {
                    g0 = element;
                }
                else
                {
                    g1 = element;
                }

                i += element.Escape.Length;
                continue;
            }

            if (b < 0x20 || b == 0x7F)
            {
                if (TextDelimiters.IsControlDelimiter(b))
                {
                    (g0, g1) = (initialG0, initialG1);
                }

                text.Append((char)b);
                i++;
            }
            else if (b == 0x20)
            {
                // SPACE is 0x20 whatever is designated to G0 (ISO 2022 94-character sets leave it free).
                text.Append(' ');
                i++;
            }
            else if (b < 0x80)
            {
                i += DecodeGraphic(bytes, i, g0, 0x21, text, ref issues);
                if (g0.BytesPerCharacter == 1 && TextDelimiters.IsDelimiter(b, vr))
                {
                    (g0, g1) = (initialG0, initialG1);
                }
            }
            else if (g1 is null)
            {
                // No G1 set is designated (default repertoire): read the byte as ISO 8859-1, as
                // pydicom and DCMTK do, rather than lose it; the caller is told.
                issues.Latin1Fallback(i);
                text.Append((char)b);
                i++;
            }
            else if (b < 0xA0)
            {
                // C1 control range: not graphic in any G1 set; kept as the code point, like ISO 8859 decoders.
                if (g1.BytesPerCharacter == 2)
                {
                    issues.Invalid(i, 1);
                    text.Append('\uFFFD');
                }
                else
                {
                    text.Append((char)b);
                }

                i++;
            }
            else
            {
                i += DecodeGraphic(bytes, i, g1, 0xA1, text, ref issues);
            }
        }

        return text.ToString();
    }

    // Decodes one character of a one- or two-byte element at bytes[i]; returns the bytes consumed.
    private static int DecodeGraphic(ReadOnlySpan<byte> bytes, int i, CodeElement element, byte secondMinimum, StringBuilder text, ref TextIssues issues)
    {
        if (element.BytesPerCharacter == 1)
        {
            if (element.TryDecode(bytes[i], 0, out var c))
            {
                text.Append(c);
            }
            else
            {
                issues.Invalid(i, 1);
                text.Append('\uFFFD');
            }

            return 1;
        }

        var secondMaximum = (byte)(secondMinimum + 0x5D);
        if (i + 1 >= bytes.Length || bytes[i + 1] < secondMinimum || bytes[i + 1] > secondMaximum)
        {
            issues.Invalid(i, 1);
            text.Append('\uFFFD');
            return 1;
        }

        if (element.TryDecode(bytes[i], bytes[i + 1], out var pair))
        {
            text.Append(pair);
        }
        else
        {
            issues.Invalid(i, 2);
            text.Append('\uFFFD');
        }

        return 2;
    }
}
