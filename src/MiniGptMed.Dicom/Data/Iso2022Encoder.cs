namespace MiniGptMed.Dicom.Data;

/// <summary>
/// Encodes text under ISO 2022 code extension (PS3.5 6.1.2.5): each character goes to the code
/// element already designated if it has it, otherwise to the first of (0008,0005) that has it, with
/// that element's escape sequence; value 1's elements are designated again before every delimiter
/// and at the end of the value (PS3.5 6.1.2.5.3), as in the examples of PS3.5 Annex H, I and J.
/// </summary>
internal static class Iso2022Encoder
{
    public static byte[] Encode(string text, DicomVR vr, DicomCharacterSet charset, ref TextIssues issues)
    {
        var initialG0 = charset.InitialG0;
        var initialG1 = charset.InitialG1;
        var g0 = initialG0;
        var g1 = initialG1;
        var output = new List<byte>(text.Length + 8);

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c < 0x20 || c == 0x7F)
            {
                if (TextDelimiters.IsControlDelimiter(c))
                {
                    ReturnToInitial();
                }

                if (c == 0x1B)
                {
                    // A literal ESC would be read as a designation: it cannot be carried.
                    issues.Unencodable(i);
                    Replacement();
                    continue;
                }

                output.Add((byte)c);
                continue;
            }

            if (c == ' ')
            {
                output.Add(0x20);
                continue;
            }

            if (TextDelimiters.IsDelimiter(c, vr))
            {
                ReturnToInitial();
                output.Add((byte)c);
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                // No ISO 2022 element of DICOM has characters outside the BMP.
                issues.Unencodable(i);
                Replacement();
                i++;
                continue;
            }

            if (TryEmit(g0, c) || (g1 is not null && TryEmit(g1, c)))
            {
                continue;
            }

            var done = false;
            foreach (var element in charset.Elements)
            {
                if (element.TryEncode(c, out _, out _))
                {
                    Designate(element);
                    done = TryEmit(element, c);
                    break;
                }
            }

            if (!done)
            {
                issues.Unencodable(i);
                Replacement();
            }
        }

        ReturnToInitial();
        return [.. output];

        bool TryEmit(CodeElement element, char c)
        {
            if (!element.TryEncode(c, out var first, out var second))
            {
                return false;
            }

            var high = element.Set == GraphicSet.G1 ? (byte)0x80 : (byte)0;
            output.Add((byte)(first | high));
            if (element.BytesPerCharacter == 2)
            {
                output.Add((byte)(second | high));
            }

            return true;
        }

        void Designate(CodeElement element)
        {
            if (element.Set == GraphicSet.G0 && !ReferenceEquals(element, g0))
            {
                output.AddRange(element.Escape);
                g0 = element;
            }
            else if (element.Set == GraphicSet.G1 && !ReferenceEquals(element, g1))
            {
                output.AddRange(element.Escape);
                g1 = element;
            }
        }

        void ReturnToInitial()
        {
            if (!ReferenceEquals(g0, initialG0))
            {
                output.AddRange(initialG0.Escape);
                g0 = initialG0;
            }

            if (!ReferenceEquals(g1, initialG1))
            {
                // With no G1 in value 1 there is nothing to designate back; forgetting the current
                // one makes the next G1 character designate again (PS3.5 Annex I, Example 1).
                if (initialG1 is not null)
                {
                    output.AddRange(initialG1.Escape);
                }

                g1 = initialG1;
            }
        }

        void Replacement()
        {
            // '?' is in every single-byte G0 set; leave a two-byte G0 first.
            if (g0.BytesPerCharacter != 1)
            {
                output.AddRange(initialG0.Escape);
                g0 = initialG0;
            }

            output.Add((byte)'?');
        }
    }
}
