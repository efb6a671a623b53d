using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.Tests.Data;

public class DicomCharacterSetTests
{
    private static DicomCharacterSet Charset(params string[] values) => DicomCharacterSet.FromSpecificCharacterSet(values);

    private static void AssertEncodesTo(DicomCharacterSet charset, DicomVR vr, string text, string hex)
    {
        var bytes = charset.Encode(text, vr, out var encodeWarning);
        Assert.Null(encodeWarning);
        Assert.Equal(hex.Replace(" ", string.Empty, StringComparison.Ordinal), Convert.ToHexString(bytes), ignoreCase: true);

        var decoded = charset.Decode(bytes, vr, out var decodeWarning);
        Assert.Null(decodeWarning);
        Assert.Equal(text, decoded);
    }

    [Fact]
    public void Japanese_PS35ExampleH31_EncodesToStandardBytes()
    {
        // PS3.5 H.3.1: (0008,0005) \ISO 2022 IR 87; G0 back to ASCII before each delimiter.
        AssertEncodesTo(
            Charset("", "ISO 2022 IR 87"),
            DicomVR.PN,
            "Yamada^Tarou=山田^太郎=やまだ^たろう",
            "59616d6164615e5461726f753d 1b2442 3b334544 1b2842 5e 1b2442 42404f3a 1b2842 3d 1b2442 2464245e2440 1b2842 5e 1b2442 243f246d2426 1b2842");
    }

    [Fact]
    public void Japanese_PS35ExampleH32_ReturnsToRomajiNotAscii()
    {
        // PS3.5 H.3.2: value 1 is ISO 2022 IR 13, so ESC ( J (JIS X 0201 Romaji) is what comes back.
        AssertEncodesTo(
            Charset("ISO 2022 IR 13", "ISO 2022 IR 87"),
            DicomVR.PN,
            "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう",
            "d4cfc0de 5e c0dbb3 3d 1b2442 3b334544 1b284a 5e 1b2442 42404f3a 1b284a 3d 1b2442 2464245e2440 1b284a 5e 1b2442 243f246d2426 1b284a");
    }

    [Fact]
    public void Korean_PS35ExampleI2_DesignatesG1AgainAfterEachDelimiter()
    {
        // PS3.5 Annex I: ESC $ ) C before every Hangul/Hanja run, because '^' and '=' reset G1.
        AssertEncodesTo(
            Charset("", "ISO 2022 IR 149"),
            DicomVR.PN,
            "Hong^Gildong=洪^吉洞=홍^길동",
            "486f6e675e47696c646f6e673d 1b242943 fbf3 5e 1b242943 d1ced4d7 3d 1b242943 c8ab 5e 1b242943 b1e6b5bf");
    }

    [Fact]
    public void Chinese_PS35ExampleK3_LongTextDesignatesGb2312OnEveryLine()
    {
        // PS3.5 K.3: each line starts in the default set, so GB 2312 is designated to G1 again after CR LF.
        AssertEncodesTo(
            Charset("", "ISO 2022 IR 58"),
            DicomVR.LT,
            "1.第一行文字。\r\n2.第二行文字。\r\n3.第三行文字。\r\n",
            "312e 1b242941 b5dad2bbd0d0cec4d7d6a1a3 0d0a" +
            "322e 1b242941 b5dab6fed0d0cec4d7d6a1a3 0d0a" +
            "332e 1b242941 b5dac8fdd0d0cec4d7d6a1a3 0d0a");
    }

    [Fact]
    public void Chinese_GB18030Example_EncodesToStandardBytes()
    {
        // PS3.5 J (chrX2.dcm): GB18030 needs no escape sequences.
        AssertEncodesTo(Charset("GB18030"), DicomVR.PN, "Wang^XiaoDong=王^小东=", "57616e675e5869616f446f6e673dcdf55ed0a1b6ab3d");
    }

    [Fact]
    public void Chinese_Utf8Example_EncodesToStandardBytes()
    {
        // PS3.5 J (chrX1.dcm): ISO_IR 192.
        AssertEncodesTo(Charset("ISO_IR 192"), DicomVR.PN, "Wang^XiaoDong=王^小東=", "57616e675e5869616f446f6e673de78e8b5ee5b08fe69db13d");
    }

    [Fact]
    public void Gbk_EncodesAndDecodes()
    {
        AssertEncodesTo(Charset("GBK"), DicomVR.LO, "王小东", "cdf5d0a1b6ab");
    }

    [Theory]
    [InlineData("ISO_IR 100", "Buc^Jérôme", "4275635e4ae972f46d65")]
    [InlineData("ISO_IR 101", "Łódź", "a3f364bc")]
    [InlineData("ISO_IR 109", "Ħġ", "a1f5")]
    [InlineData("ISO_IR 110", "ĸŖ", "a2a3")]
    [InlineData("ISO_IR 144", "Люкceмбypг", "bbeeda6365dcd17970d3")]
    [InlineData("ISO_IR 127", "قباني^لنزار", "e2c8c7e6ea5ee4e6d2c7d1")]
    [InlineData("ISO_IR 126", "Διονυσιος", "c4e9efedf5f3e9eff2")]
    [InlineData("ISO_IR 138", "שרון^דבורה", "f9f8e5ef5ee3e1e5f8e4")]
    [InlineData("ISO_IR 148", "Işık^Gül", "49fefd6b5e47fc6c")]
    [InlineData("ISO_IR 203", "€Š", "a4a6")]
    [InlineData("ISO_IR 166", "สมชาย", "cac1aad2c2")]
    [InlineData("ISO_IR 13", "ﾔﾏﾀﾞ^ﾀﾛｳ", "d4cfc0de5ec0dbb3")]
    public void SingleByteSets_EncodeAndDecode(string term, string text, string hex)
    {
        AssertEncodesTo(Charset(term), DicomVR.PN, text, hex);
    }

    [Fact]
    public void Iso2022SingleByteSets_SwitchG1ByEscapeSequences()
    {
        // Latin-1 is value 1's G1 (active from the start); Cyrillic needs ESC - L and Latin-1 comes back
        // with ESC - A before the delimiter.
        AssertEncodesTo(
            Charset("ISO 2022 IR 100", "ISO 2022 IR 144"),
            DicomVR.PN,
            "Jérôme^Люк",
            "4ae972f46d65 5e 1b2d4c bbeeda 1b2d41");
    }

    [Fact]
    public void Thai_Iso2022_DesignatesTis620()
    {
        AssertEncodesTo(Charset("", "ISO 2022 IR 166"), DicomVR.LO, "A สม", "41 20 1b2d54 cac1");
    }

    [Fact]
    public void JisX0212_EncodesWithFourByteEscapeAndDecodes()
    {
        // 丂 (U+4E02) is in JIS X 0212 (row 16 cell 1) but not in JIS X 0208.
        AssertEncodesTo(
            Charset("", "ISO 2022 IR 87", "ISO 2022 IR 159"),
            DicomVR.LO,
            "山丂",
            "1b2442 3b33 1b242844 3021 1b2842");
    }

    [Fact]
    public void LongString_CaretIsNotADelimiter_G1StaysDesignated()
    {
        // Outside PN, '^' is an ordinary character: no reset, so no second escape sequence.
        AssertEncodesTo(Charset("", "ISO 2022 IR 149"), DicomVR.LO, "洪^吉", "1b242943 fbf3 5e d1ce");
    }

    [Fact]
    public void MultiValuedText_BackslashResetsDesignation()
    {
        AssertEncodesTo(
            Charset("", "ISO 2022 IR 87"),
            DicomVR.LO,
            "山\\田",
            "1b2442 3b33 1b2842 5c 1b2442 4544 1b2842");
    }

    [Fact]
    public void LongText_LineBreaksResetG0()
    {
        AssertEncodesTo(
            Charset("", "ISO 2022 IR 87"),
            DicomVR.LT,
            "山\r\n田",
            "1b2442 3b33 1b2842 0d0a 1b2442 4544 1b2842");
    }

    [Fact]
    public void Decode_PersonName_G1ResetAtCaretWithoutNewEscape_FallsBackAndWarns()
    {
        // After '^' the KS X 1001 designation is gone (PS3.5 6.1.2.5.3); the bytes that follow have no G1 set.
        var decoded = Charset("", "ISO 2022 IR 149").Decode(Convert.FromHexString("1b242943fbf35ed1ce"), DicomVR.PN, out var warning);

        Assert.Equal("洪^\u00D1\u00CE", decoded);
        Assert.NotNull(warning);
        Assert.Contains("ISO 8859-1", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_TwoByteG0_CaretInsideCharacterIsNotADelimiter()
    {
        // やま is 24 64 24 5E in JIS X 0208: the 0x5E there is half of ま, not a component separator.
        var decoded = Charset("", "ISO 2022 IR 87").Decode(Convert.FromHexString("1b24422464245e1b2842"), DicomVR.PN, out var warning);

        Assert.Equal("やま", decoded);
        Assert.Null(warning);
    }

    [Theory]
    [InlineData("ISO 2022 IR 87", "1b2442222f1b2842")] // JIS X 0208 row 2 cell 15: .NET's 51932 said U+30FB
    [InlineData("ISO 2022 IR 149", "1b242943a5bd")] // KS X 1001 unassigned: .NET's 949 said '?'
    [InlineData("ISO 2022 IR 58", "1b242941a4fc")] // GB 2312 unassigned: .NET's 936 gave a private-use character
    public void Decode_UnassignedTwoBytePosition_IsReplacedWithWarningNotSubstituted(string term, string hex)
    {
        // Regression: the tables once came from .NET code pages, which substitute silently.
        var decoded = Charset("", term).Decode(Convert.FromHexString(hex), DicomVR.LO, out var warning);

        Assert.Equal("\uFFFD", decoded);
        Assert.NotNull(warning);
    }

    [Fact]
    public void Decode_JisWaveDash_IsU301CAsInPydicom()
    {
        // JIS X 0208 0x2141 is WAVE DASH (U+301C) in the JIS mapping; Microsoft's tables say U+FF5E.
        Assert.Equal("\u301C", Charset("", "ISO 2022 IR 87").Decode(Convert.FromHexString("1b244221411b2842"), DicomVR.LO));
    }

    [Fact]
    public void Decode_TruncatedTwoByteCharacter_ReplacesAndWarnsWithoutText()
    {
        var decoded = Charset("", "ISO 2022 IR 87").Decode(Convert.FromHexString("1b24423b33451b2842"), DicomVR.PN, out var warning);

        Assert.Equal("山\uFFFD", decoded);
        Assert.NotNull(warning);
        Assert.Contains("offset 5", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("山", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_UnknownEscapeSequence_ReplacesEscAndWarns()
    {
        var decoded = Charset("", "ISO 2022 IR 87").Decode(Convert.FromHexString("411b2b5a42"), DicomVR.LO, out var warning);

        Assert.Equal("A\uFFFD+ZB", decoded);
        Assert.NotNull(warning);
    }

    [Fact]
    public void Decode_UndeclaredButKnownEscape_DecodesAndWarns()
    {
        var decoded = Charset("", "ISO 2022 IR 87").Decode(Convert.FromHexString("1b242943fbf3"), DicomVR.LO, out var warning);

        Assert.Equal("洪", decoded);
        Assert.NotNull(warning);
        Assert.Contains("ISO-IR 149", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_InvalidUtf8_ReplacesAndWarns()
    {
        var decoded = Charset("ISO_IR 192").Decode([0x41, 0xC3, 0x28, 0x42], DicomVR.LO, out var warning);

        Assert.Equal("A\uFFFD(B", decoded);
        Assert.NotNull(warning);
    }

    [Fact]
    public void Decode_DefaultRepertoireWithHighBytes_ReadsLatin1AndWarns()
    {
        var decoded = DicomCharacterSet.Default.Decode(Convert.FromHexString("4275635e4ae972f46d65"), DicomVR.PN, out var warning);

        Assert.Equal("Buc^Jérôme", decoded);
        Assert.NotNull(warning);
        Assert.DoesNotContain("Buc", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_DefaultRepertoire_WritesQuestionMarkAndWarns()
    {
        var bytes = DicomCharacterSet.Default.Encode("Jérôme", DicomVR.PN, out var warning);

        Assert.Equal("J?r?me"u8.ToArray(), bytes);
        Assert.NotNull(warning);
    }

    [Fact]
    public void Encode_CharacterInNoDeclaredSet_WritesQuestionMarkInAsciiAndWarns()
    {
        var charset = Charset("", "ISO 2022 IR 87");

        var bytes = charset.Encode("山é", DicomVR.LO, out var warning);

        Assert.Equal("1B24423B331B28423F", Convert.ToHexString(bytes));
        Assert.NotNull(warning);
    }

    [Fact]
    public void UnknownTerm_FallsBackToDefaultWithWarning()
    {
        var charset = Charset("ISO_IR 999");

        Assert.Single(charset.Warnings);
        Assert.Contains("ISO_IR 999", charset.Warnings[0], StringComparison.Ordinal);
        Assert.Equal("Abc", charset.Decode("Abc"u8, DicomVR.LO));
    }

    [Fact]
    public void Utf8CombinedWithOthers_UsesUtf8AndWarns()
    {
        var charset = Charset("ISO_IR 192", "ISO 2022 IR 87");

        Assert.NotEmpty(charset.Warnings);
        Assert.Equal("王", charset.Decode("王"u8, DicomVR.LO));
    }

    [Fact]
    public void NonSpecificCharacterSetVR_IsReadInDefaultRepertoire()
    {
        // PS3.5 6.1.2.3: CS values use only the default repertoire, whatever (0008,0005) says.
        var decoded = Charset("ISO_IR 192").Decode([0xC3, 0xA9], DicomVR.CS, out var warning);

        Assert.Equal("\u00C3\u00A9", decoded);
        Assert.NotNull(warning);
    }

    [Fact]
    public void Parse_BackslashSeparatedValue_SplitsTerms()
    {
        var charset = DicomCharacterSet.Parse("\\ISO 2022 IR 87");

        Assert.Equal(["", "ISO 2022 IR 87"], charset.Terms);
        Assert.Equal("山", charset.Decode(Convert.FromHexString("1b24423b331b2842"), DicomVR.PN));
    }

    [Fact]
    public void FromSpecificCharacterSet_EmptyOrNull_IsDefault()
    {
        Assert.Same(DicomCharacterSet.Default, DicomCharacterSet.FromSpecificCharacterSet(null));
        Assert.Same(DicomCharacterSet.Default, DicomCharacterSet.FromSpecificCharacterSet([""]));
        Assert.True(DicomCharacterSet.Default.IsDefault);
    }
}
