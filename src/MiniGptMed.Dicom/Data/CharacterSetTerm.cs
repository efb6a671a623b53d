using System.Collections.Frozen;

namespace MiniGptMed.Dicom.Data;

/// <summary>
/// A defined term of Specific Character Set (0008,0005): PS3.3 C.12.1.1.2, Tables C.12-2 to C.12-5.
/// Either a pair of ISO 2022 code elements (G0, G1) or a whole-value encoding (UTF-8, GB18030, GBK).
/// </summary>
internal sealed class CharacterSetTerm
{
    private CharacterSetTerm(string term, CodeElement? g0, CodeElement? g1, bool codeExtensions, int wholeValueCodePage = 0)
    {
        Term = term;
        G0 = g0;
        G1 = g1;
        CodeExtensions = codeExtensions;
        WholeValueCodePage = wholeValueCodePage;
    }

    public string Term { get; }

    public CodeElement? G0 { get; }

    public CodeElement? G1 { get; }

    /// <summary>An "ISO 2022 ..." term, which may be combined with others and switched by escape sequences.</summary>
    public bool CodeExtensions { get; }

    /// <summary>Non-zero for ISO_IR 192, GB18030 and GBK, which cannot use code extensions (PS3.5 6.1.2.5.4 d).</summary>
    public int WholeValueCodePage { get; }

    public static CharacterSetTerm Default { get; } = new(string.Empty, CodeElements.Ascii, null, false);

    private static readonly FrozenDictionary<string, CharacterSetTerm> ByTerm = Build().ToFrozenDictionary(t => t.Term, StringComparer.Ordinal);

    public static bool TryGet(string term, out CharacterSetTerm result) => ByTerm.TryGetValue(term, out result!);

    private static IEnumerable<CharacterSetTerm> Build()
    {
        var ascii = CodeElements.Ascii;
        (string Number, CodeElement? G0, CodeElement? G1)[] singleByte =
        [
            ("100", ascii, CodeElements.Latin1),
            ("101", ascii, CodeElements.Latin2),
            ("109", ascii, CodeElements.Latin3),
            ("110", ascii, CodeElements.Latin4),
            ("144", ascii, CodeElements.Cyrillic),
            ("127", ascii, CodeElements.Arabic),
            ("126", ascii, CodeElements.Greek),
            ("138", ascii, CodeElements.Hebrew),
            ("148", ascii, CodeElements.Latin5),
            ("203", ascii, CodeElements.Latin9),
            ("166", ascii, CodeElements.Thai),
            ("13", CodeElements.JisRomaji, CodeElements.JisKatakana),
        ];

        // Table C.12-2: single-byte sets without code extensions; Table C.12-3: the same with.
        foreach (var (number, g0, g1) in singleByte)
        {
            yield return new("ISO_IR " + number, g0, g1, false);
            yield return new("ISO 2022 IR " + number, g0, g1, true);
        }

        // "ISO_IR 6" is not a defined term, but is common in the wild for the default repertoire.
        yield return new("ISO_IR 6", ascii, null, false);
        yield return new("ISO 2022 IR 6", ascii, null, true);

        // Table C.12-4: multi-byte sets with code extensions.
        yield return new("ISO 2022 IR 87", CodeElements.JisX0208, null, true);
        yield return new("ISO 2022 IR 159", CodeElements.JisX0212, null, true);
        yield return new("ISO 2022 IR 149", null, CodeElements.KsX1001, true);
        yield return new("ISO 2022 IR 58", null, CodeElements.Gb2312, true);

        // Table C.12-5: multi-byte sets without code extensions.
        yield return new("ISO_IR 192", ascii, null, false, 65001);
        yield return new("GB18030", ascii, null, false, 54936);
        yield return new("GBK", ascii, null, false, 936);
    }
}
