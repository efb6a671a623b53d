using System.Collections.Frozen;

namespace MiniGptMed.Dicom.Data;

/// <summary>
/// A two-byte 94 x 94 code element (JIS X 0208, JIS X 0212, KS X 1001, GB 2312), as a table built
/// once on first use from a generated grid.
/// </summary>
internal sealed class DoubleByteCodeElement : CodeElement
{
    private readonly Lazy<(char[] Table, FrozenDictionary<char, ushort> Reverse)> _tables;

    public DoubleByteCodeElement(string isoIr, GraphicSet set, byte[] escape, string grid)
        : base(isoIr, set, 2, escape)
    {
        _tables = new(() =>
        {
            var table = grid.ToCharArray();
            var reverse = Enumerable.Range(0, 94 * 94)
                .Where(i => table[i] != '\uFFFD')
                .DistinctBy(i => table[i])
                .ToFrozenDictionary(i => table[i], i => (ushort)(((0x21 + (i / 94)) << 8) | (0x21 + (i % 94))));
            return (table, reverse);
        });
    }

    public override bool TryDecode(byte first, byte second, out char c)
    {
        int row = (first & 0x7F) - 0x21, cell = (second & 0x7F) - 0x21;
        if ((uint)row >= 94 || (uint)cell >= 94)
        {
            c = '\uFFFD';
            return false;
        }

        c = _tables.Value.Table[(row * 94) + cell];
        return c != '\uFFFD';
    }

    public override bool TryEncode(char c, out byte first, out byte second)
    {
        var found = _tables.Value.Reverse.TryGetValue(c, out var code);
        first = (byte)(code >> 8);
        second = (byte)code;
        return found;
    }
}
