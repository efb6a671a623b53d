namespace MiniGptMed.Dicom.Data;

/// <summary>The code elements of PS3.3 Tables C.12-3 and C.12-4 with their escape sequences.</summary>
internal static class CodeElements
{
    private const byte Esc = 0x1B;

    /// <summary>ISO-IR 6 (ASCII) in G0: ESC ( B.</summary>
    public static readonly SingleByteCodeElement Ascii = new("ISO-IR 6", GraphicSet.G0, [Esc, 0x28, 0x42], AsciiTable());

    /// <summary>
    /// ISO-IR 14 (JIS X 0201 Romaji) in G0: ESC ( J. It differs from ASCII only at 0x5C (YEN SIGN) and
    /// 0x7E (OVERLINE); those bytes are kept as '\' and '~' because 0x5C stays the value delimiter
    /// (PS3.5 6.1.3) and pydicom decodes them so too.
    /// </summary>
    public static readonly SingleByteCodeElement JisRomaji = new("ISO-IR 14", GraphicSet.G0, [Esc, 0x28, 0x4A], AsciiTable());

    /// <summary>ISO-IR 13 (JIS X 0201 Katakana) in G1: ESC ) I; 0xA1-0xDF are the half-width katakana U+FF61-U+FF9F.</summary>
    public static readonly SingleByteCodeElement JisKatakana = new("ISO-IR 13", GraphicSet.G1, [Esc, 0x29, 0x49], KatakanaTable());

    public static readonly SingleByteCodeElement Latin1 = Iso8859("ISO-IR 100", 0x41, CharacterSetTables.Latin1);
    public static readonly SingleByteCodeElement Latin2 = Iso8859("ISO-IR 101", 0x42, CharacterSetTables.Latin2);
    public static readonly SingleByteCodeElement Latin3 = Iso8859("ISO-IR 109", 0x43, CharacterSetTables.Latin3);
    public static readonly SingleByteCodeElement Latin4 = Iso8859("ISO-IR 110", 0x44, CharacterSetTables.Latin4);
    public static readonly SingleByteCodeElement Cyrillic = Iso8859("ISO-IR 144", 0x4C, CharacterSetTables.Cyrillic);
    public static readonly SingleByteCodeElement Arabic = Iso8859("ISO-IR 127", 0x47, CharacterSetTables.Arabic);
    public static readonly SingleByteCodeElement Greek = Iso8859("ISO-IR 126", 0x46, CharacterSetTables.Greek);
    public static readonly SingleByteCodeElement Hebrew = Iso8859("ISO-IR 138", 0x48, CharacterSetTables.Hebrew);
    public static readonly SingleByteCodeElement Latin5 = Iso8859("ISO-IR 148", 0x4D, CharacterSetTables.Latin5);
    public static readonly SingleByteCodeElement Latin9 = Iso8859("ISO-IR 203", 0x62, CharacterSetTables.Latin9);

    /// <summary>ISO-IR 166 (TIS 620-2533, Thai) in G1: ESC - T.</summary>
    public static readonly SingleByteCodeElement Thai = Iso8859("ISO-IR 166", 0x54, CharacterSetTables.Thai);

    // The 94 x 94 sets come from generated tables (tools/gen_charset_tables.py says why not .NET code pages).

    /// <summary>ISO-IR 87 (JIS X 0208) in G0: ESC $ B.</summary>
    public static readonly DoubleByteCodeElement JisX0208 =
        new("ISO-IR 87", GraphicSet.G0, [Esc, 0x24, 0x42], CharacterSetTables.JisX0208);

    /// <summary>ISO-IR 159 (JIS X 0212) in G0: ESC $ ( D.</summary>
    public static readonly DoubleByteCodeElement JisX0212 =
        new("ISO-IR 159", GraphicSet.G0, [Esc, 0x24, 0x28, 0x44], CharacterSetTables.JisX0212);

    /// <summary>ISO-IR 149 (KS X 1001) in G1: ESC $ ) C.</summary>
    public static readonly DoubleByteCodeElement KsX1001 =
        new("ISO-IR 149", GraphicSet.G1, [Esc, 0x24, 0x29, 0x43], CharacterSetTables.KsX1001);

    /// <summary>ISO-IR 58 (GB 2312) in G1: ESC $ ) A.</summary>
    public static readonly DoubleByteCodeElement Gb2312 =
        new("ISO-IR 58", GraphicSet.G1, [Esc, 0x24, 0x29, 0x41], CharacterSetTables.Gb2312);

    /// <summary>Every element, for recognising escape sequences; the longest sequences first.</summary>
    public static readonly CodeElement[] All =
    [
        JisX0212, KsX1001, Gb2312, JisX0208, Ascii, JisRomaji, JisKatakana,
        Latin1, Latin2, Latin3, Latin4, Cyrillic, Arabic, Greek, Hebrew, Latin5, Latin9, Thai,
    ];

    /// <summary>The element whose escape sequence starts <paramref name="bytes"/> (which starts with ESC), or null.</summary>
    public static CodeElement? MatchEscape(ReadOnlySpan<byte> bytes)
    {
        foreach (var element in All)
        {
            if (bytes.StartsWith(element.Escape))
            {
                return element;
            }
        }

        return null;
    }

    // 96-character sets in G1 are designated with ESC - F (PS3.3 Table C.12-3).
    private static SingleByteCodeElement Iso8859(string isoIr, byte final, string upperHalf) =>
        new(isoIr, GraphicSet.G1, [Esc, 0x2D, final], upperHalf.ToCharArray());

    private static char[] AsciiTable()
    {
        var table = new char[96];
        for (var i = 0; i < 96; i++)
        {
            table[i] = (char)(0x20 + i);
        }

        return table;
    }

    private static char[] KatakanaTable()
    {
        var table = new char[96];
        for (var i = 0; i < 96; i++)
        {
            table[i] = i is >= 0x01 and <= 0x3F ? (char)(0xFF61 + i - 0x01) : '\uFFFD';
        }

        return table;
    }
}
