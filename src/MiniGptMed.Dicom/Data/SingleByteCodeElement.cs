using System.Collections.Frozen;

namespace MiniGptMed.Dicom.Data;

/// <summary>
/// A one-byte code element: ISO 646 (ASCII, JIS X 0201 Romaji) in G0 or the upper half of an
/// ISO 8859 part, JIS X 0201 Katakana or TIS 620 in G1, as a table of the 96 positions 0x20-0x7F.
/// </summary>
internal sealed class SingleByteCodeElement : CodeElement
{
    private readonly char[] _table;

    // Built on the first encode: decoding, all that reading a file needs, uses only the table, and building the 14
    // reverse maps up front was 0.7 M of the 1.1 M instructions the character sets cost `render` at start (callgrind).
    private FrozenDictionary<char, byte>? _reverse;

    public SingleByteCodeElement(string isoIr, GraphicSet set, byte[] escape, char[] table)
        : base(isoIr, set, 1, escape)
    {
        _table = table;
    }

    public override bool TryDecode(byte first, byte second, out char c)
    {
        var i = (first & 0x7F) - 0x20;
        c = i >= 0 ? _table[i] : '\uFFFD';
        return c != '\uFFFD';
    }

    public override bool TryEncode(char c, out byte first, out byte second)
    {
        second = 0;
        // A race builds the same map twice; either copy is correct.
        _reverse ??= BuildReverse(_table);
        return _reverse.TryGetValue(c, out first);
    }

    private static FrozenDictionary<char, byte> BuildReverse(char[] table) =>
        Enumerable.Range(0, 96)
            .Where(i => table[i] != '\uFFFD')
            .DistinctBy(i => table[i])
            .ToFrozenDictionary(i => table[i], i => (byte)(0x20 + i));
}
