using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.Tests.Data;

/// <summary>Bad bytes and unencodable text never throw, for every supported term.</summary>
public class DicomCharacterSetRobustnessTests
{
    public static TheoryData<string[]> CharacterSets() =>
    [
        [""], ["ISO_IR 100"], ["ISO_IR 101"], ["ISO_IR 109"], ["ISO_IR 110"], ["ISO_IR 144"], ["ISO_IR 127"],
        ["ISO_IR 126"], ["ISO_IR 138"], ["ISO_IR 148"], ["ISO_IR 203"], ["ISO_IR 166"], ["ISO_IR 13"],
        ["ISO_IR 192"], ["GB18030"], ["GBK"],
        ["", "ISO 2022 IR 87", "ISO 2022 IR 159"], ["ISO 2022 IR 13", "ISO 2022 IR 87"], ["", "ISO 2022 IR 149"],
        ["", "ISO 2022 IR 58"], ["ISO 2022 IR 100", "ISO 2022 IR 144", "ISO 2022 IR 126"], ["", "ISO 2022 IR 166"],
    ];

    [Theory]
    [MemberData(nameof(CharacterSets))]
    public void Decode_RandomBytes_NeverThrowsAndWarnsOnReplacement(string[] terms)
    {
        var charset = DicomCharacterSet.FromSpecificCharacterSet(terms);
        var random = new Random(20261128);
        var bytes = new byte[64];
        for (var i = 0; i < 2000; i++)
        {
            random.NextBytes(bytes);
            var length = random.Next(bytes.Length + 1);

            var text = charset.Decode(bytes.AsSpan(0, length), i % 2 == 0 ? DicomVR.PN : DicomVR.LT, out var warning);

            Assert.NotNull(text);
            if (text.Contains('\uFFFD', StringComparison.Ordinal))
            {
                Assert.NotNull(warning);
            }
        }
    }

    [Theory]
    [MemberData(nameof(CharacterSets))]
    public void Encode_ArbitraryText_NeverThrowsAndRoundTripsWhatFits(string[] terms)
    {
        var charset = DicomCharacterSet.FromSpecificCharacterSet(terms);
        string[] samples = ["Doe^John", "Jérôme", "Люк", "山田^太郎", "홍^길동", "王^小东", "ﾔﾏﾀﾞ", "สม", "€", "😀", "\u001B(B", "a\\b\r\nc", "\uD800"];
        foreach (var sample in samples)
        {
            var bytes = charset.Encode(sample, DicomVR.PN, out var encodeWarning);
            var back = charset.Decode(bytes, DicomVR.PN, out _);

            if (encodeWarning is null)
            {
                Assert.Equal(sample, back);
            }
        }
    }
}
