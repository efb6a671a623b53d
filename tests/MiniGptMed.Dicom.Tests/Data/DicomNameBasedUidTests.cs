using System.Numerics;
using System.Text;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.Tests.Support;

namespace MiniGptMed.Dicom.Tests.Data;

/// <summary>Name-based UIDs (issue #9 item 5): RFC 9562 version 5 UUIDs, as Python's uuid.uuid5 makes them, in the 2.25 form.</summary>
public sealed class DicomNameBasedUidTests
{
    private static readonly Guid Dns = new("6ba7b810-9dad-11d1-80b4-00c04fd430c8");

    [Fact]
    public void UuidV5_MatchesThePublishedVector()
    {
        // Python's documentation: uuid.uuid5(uuid.NAMESPACE_DNS, 'python.org').
        var uuid = DicomNameBasedUid.UuidV5(Dns, "python.org"u8);

        Assert.Equal(new Guid("886313e1-3b8a-5372-9b90-0c9aee199e5d"), uuid);
        Assert.Equal("2.25.181289448026289383154478846676280385117", DicomNameBasedUid.FromUuid(uuid));
    }

    [Theory]
    [InlineData("6ba7b812-9dad-11d1-80b4-00c04fd430c8", "")]
    [InlineData("6ba7b811-9dad-11d1-80b4-00c04fd430c8", "https://example.org/Ödem/肺炎")]
    [InlineData("6ba7b812-9dad-11d1-80b4-00c04fd430c8", "1.2.826.0.1.3680043.10.999")]
    [InlineData("00000000-0000-0000-0000-000000000000", "x")]
    public async Task UuidV5_EqualsPythonsUuid5(string namespaceId, string name)
    {
        var script = "import sys, uuid\nu = uuid.uuid5(uuid.UUID(sys.argv[1]), sys.argv[2])\nprint(u)\nprint(u.int)";
        var output = (await ExternalProcess.RunCheckedAsync(TestPaths.Python, ["-c", script, namespaceId, name])).Split('\n');

        var uuid = DicomNameBasedUid.UuidV5(new Guid(namespaceId), Encoding.UTF8.GetBytes(name));

        Assert.Equal(new Guid(output[0]), uuid);
        Assert.Equal("2.25." + output[1], DicomNameBasedUid.FromUuid(uuid));
    }

    [Fact]
    public async Task Create_IsUuid5OfTheNetstringJoinedParts_AsPythonComputesIt()
    {
        var ns = DicomNameBasedUid.NamespaceFor("https://minigptmed.example/results");
        var script = "import sys, uuid\nns = uuid.uuid5(uuid.NAMESPACE_URL, sys.argv[1])\n" +
                     "parts = sys.argv[2:]\nname = ''.join('%d:%s,' % (len(p.encode('utf-8')), p) for p in parts)\nprint(uuid.uuid5(ns, name).int)";
        string[] parts = ["1.2.840.113619.2.55.3", "report,vqa", "minigptmed-0.3 Größe"];
        var output = await ExternalProcess.RunCheckedAsync(TestPaths.Python, ["-c", script, "https://minigptmed.example/results", .. parts]);

        Assert.Equal("2.25." + output.Trim(), DicomNameBasedUid.Create(ns, parts));
    }

    [Fact]
    public void Create_IsDeterministic_AndPartListsThatConcatenateAlikeDiffer()
    {
        var ns = DicomNameBasedUid.NamespaceFor("test");
        var uids = new[]
        {
            DicomNameBasedUid.Create(ns, "ab", "c"),
            DicomNameBasedUid.Create(ns, "a", "bc"),
            DicomNameBasedUid.Create(ns, "abc"),
            DicomNameBasedUid.Create(ns, "abc", string.Empty),
            DicomNameBasedUid.Create(ns, "c", "ab"),
            DicomNameBasedUid.Create(ns, "1:a,", "b"),
            DicomNameBasedUid.Create(ns, "1:a,1:b,"),
            DicomNameBasedUid.Create(DicomNameBasedUid.NamespaceFor("other"), "ab", "c"),
        };

        Assert.Equal(uids.Length, uids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(uids[0], DicomNameBasedUid.Create(ns, "ab", "c"));
    }

    [Fact]
    public void Create_GivesValidUidsOfAtMost64Characters_WithVersion5Bits()
    {
        var ns = DicomNameBasedUid.NamespaceFor("length");
        for (var i = 0; i < 2000; i++)
        {
            var uid = DicomNameBasedUid.Create(ns, i.ToString(System.Globalization.CultureInfo.InvariantCulture), new string('x', i % 300));
            Assert.True(uid.Length <= 64 && DicomUid.IsValid(uid), uid);
            var value = BigInteger.Parse(uid[5..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(5, (int)((value >> 76) & 0xF));
            Assert.Equal(2, (int)((value >> 62) & 0x3));
        }
    }
}
