namespace MiniGptMed.Dicom.Data;

/// <summary>Which graphic set a code element is designated to (ISO 2022; PS3.5 6.1.2.5.1).</summary>
internal enum GraphicSet
{
    /// <summary>Bytes 0x21-0x7E (GL).</summary>
    G0,

    /// <summary>Bytes 0xA0-0xFF (GR).</summary>
    G1,
}

/// <summary>
/// One ISO 2022 code element of PS3.3 Tables C.12-3 and C.12-4: a 94/96-character set of one or two
/// bytes per character, designated to G0 or G1 by its escape sequence.
/// </summary>
internal abstract class CodeElement
{
    protected CodeElement(string isoIr, GraphicSet set, int bytesPerCharacter, byte[] escape)
    {
        IsoIr = isoIr;
        Set = set;
        BytesPerCharacter = bytesPerCharacter;
        Escape = escape;
    }

    /// <summary>The registration, e.g. "ISO-IR 87", for warnings and ToString.</summary>
    public string IsoIr { get; }

    public GraphicSet Set { get; }

    public int BytesPerCharacter { get; }

    /// <summary>The designation escape sequence including ESC (PS3.3 Table C.12-3/C.12-4).</summary>
    public byte[] Escape { get; }

    /// <summary>
    /// Decodes one character whose bytes have had the high bit cleared (0x21-0x7E or 0x20-0x7F),
    /// whichever graphic set they came from. False when the position is unassigned.
    /// </summary>
    public abstract bool TryDecode(byte first, byte second, out char c);

    /// <summary>Encodes one character into bytes with the high bit cleared; false when the set lacks it.</summary>
    public abstract bool TryEncode(char c, out byte first, out byte second);

    public override string ToString() => IsoIr;
}
