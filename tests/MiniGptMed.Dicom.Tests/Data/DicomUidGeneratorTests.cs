using System.Numerics;
using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.Tests.Data;

public class DicomUidGeneratorTests
{
    [Fact]
    public void Generate_GivesValidDistinct225Uids()
    {
        var uids = Enumerable.Range(0, 10_000).Select(_ => DicomUidGenerator.Generate()).ToList();

        Assert.Equal(uids.Count, uids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(uids, uid =>
        {
            Assert.StartsWith("2.25.", uid, StringComparison.Ordinal);
            Assert.True(DicomUid.IsValid(uid), uid);
            Assert.True(BigInteger.Parse(uid[5..]) < BigInteger.One << 128);
        });
    }

    [Fact]
    public void NewUid_UnderRoot_FillsTo64CharactersAndStaysValid()
    {
        var generator = new DicomUidGenerator("1.2.826.0.1.3680043.10.999");
        var uids = Enumerable.Range(0, 10_000).Select(_ => generator.NewUid()).ToList();

        Assert.Equal(uids.Count, uids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(uids, uid =>
        {
            Assert.StartsWith("1.2.826.0.1.3680043.10.999.", uid, StringComparison.Ordinal);
            Assert.True(uid.Length <= 64, uid);
            Assert.True(DicomUid.IsValid(uid), uid);
        });
    }

    [Fact]
    public void UuidBased_NewUid_Gives225Uid()
    {
        Assert.StartsWith("2.25.", DicomUidGenerator.UuidBased.NewUid(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.02.3")]
    [InlineData("1.2.3.")]
    [InlineData("abc")]
    [InlineData("1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17.18.19.20.21.22.23")]
    public void Constructor_InvalidOrTooLongRoot_ThrowsNamingTheRoot(string root)
    {
        var ex = Assert.Throws<ArgumentException>(() => new DicomUidGenerator(root));

        Assert.Contains(root, ex.Message, StringComparison.Ordinal);
    }
}
