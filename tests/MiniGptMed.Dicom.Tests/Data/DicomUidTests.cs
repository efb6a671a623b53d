using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.Tests.Data;

public class DicomUidTests
{
    [Fact]
    public void Find_TransferSyntaxes_HaveTypeAndKeyword()
    {
        Assert.Same(DicomUid.ImplicitVRLittleEndian, DicomUid.Find("1.2.840.10008.1.2"));
        Assert.Same(DicomUid.ExplicitVRLittleEndian, DicomUid.Find("1.2.840.10008.1.2.1"));
        Assert.Equal(DicomUidType.TransferSyntax, DicomUid.ExplicitVRLittleEndian.Type);
        Assert.Equal("ExplicitVRLittleEndian", DicomUid.ExplicitVRLittleEndian.Keyword);
        Assert.True(DicomUid.Find("1.2.840.10008.1.2.2")?.IsRetired);
    }

    [Fact]
    public void Find_PaddedValue_IgnoresPadding()
    {
        Assert.Same(DicomUid.CTImageStorage, DicomUid.Find("1.2.840.10008.5.1.4.1.1.2\0"));
    }

    [Fact]
    public void Find_UnknownUid_GivesNull()
    {
        Assert.Null(DicomUid.Find("1.2.3.4"));
        Assert.Equal(DicomUidType.Other, DicomUid.Get("1.2.3.4").Type);
    }

    [Fact]
    public void Verification_IsSopClassButNotStorage()
    {
        Assert.Equal("1.2.840.10008.1.1", DicomUid.Verification.Value);
        Assert.Equal(DicomUidType.SopClass, DicomUid.Verification.Type);
        Assert.False(DicomUid.Verification.IsStorageSopClass);
    }

    [Theory]
    [InlineData("1.2.840.10008.5.1.4.1.1.2")] // CT Image Storage
    [InlineData("1.2.840.10008.5.1.4.1.1.4")] // MR Image Storage
    [InlineData("1.2.840.10008.5.1.4.1.1.1")] // Computed Radiography Image Storage
    [InlineData("1.2.840.10008.5.1.4.1.1.1.1")] // Digital X-Ray Image Storage - For Presentation
    [InlineData("1.2.840.10008.5.1.4.1.1.1.1.1")] // Digital X-Ray Image Storage - For Processing
    [InlineData("1.2.840.10008.5.1.4.1.1.7")] // Secondary Capture Image Storage
    [InlineData("1.2.840.10008.5.1.4.1.1.88.33")] // Comprehensive SR Storage
    [InlineData("1.2.840.10008.5.1.4.1.1.104.1")] // Encapsulated PDF Storage
    [InlineData("1.2.840.10008.5.1.4.1.1.66")] // Raw Data Storage
    public void StorageSopClasses_IncludeImageSrAndDocumentClasses(string uid)
    {
        var found = DicomUid.Find(uid);

        Assert.NotNull(found);
        Assert.True(found.IsStorageSopClass, found.Name);
        Assert.Contains(found, DicomUid.StorageSopClasses);
    }

    [Theory]
    [InlineData("1.2.840.10008.1.20.1")] // Storage Commitment Push Model SOP Class
    [InlineData("1.2.840.10008.1.20.2")] // Storage Commitment Pull Model SOP Class (retired)
    [InlineData("1.2.840.10008.1.1")] // Verification
    [InlineData("1.2.840.10008.5.1.4.1.2.2.1")] // Study Root Query/Retrieve - FIND
    [InlineData("1.2.840.10008.5.1.1.29")] // Hardcopy Grayscale Image Storage (Print Management)
    [InlineData("1.2.840.10008.4.2")] // Storage Service Class
    public void StorageSopClasses_ExcludeOtherServices(string uid)
    {
        var found = DicomUid.Find(uid);

        Assert.NotNull(found);
        Assert.False(found.IsStorageSopClass, found.Name);
        Assert.DoesNotContain(found, DicomUid.StorageSopClasses);
    }

    [Fact]
    public void StaticFields_NameTheExpectedUids()
    {
        Assert.Equal("1.2.840.10008.5.1.4.1.1.2", DicomUid.CTImageStorage.Value);
        Assert.Equal("1.2.840.10008.5.1.4.1.1.88.33", DicomUid.ComprehensiveSRStorage.Value);
        Assert.Equal("1.2.840.10008.5.1.4.1.1.7", DicomUid.SecondaryCaptureImageStorage.Value);
        Assert.Equal("Secondary Capture Image Storage", DicomUid.SecondaryCaptureImageStorage.Name);
    }

    [Fact]
    public void All_ContainsEveryAnnexAUidOnceWithValidValues()
    {
        var all = DicomUid.All.ToList();

        Assert.True(all.Count > 400, $"only {all.Count} UIDs");
        Assert.Equal(all.Count, all.Select(u => u.Value).Distinct(StringComparer.Ordinal).Count());
        Assert.All(all, u => Assert.True(DicomUid.IsValid(u.Value), u.Value));
        Assert.All(all, u => Assert.Same(u, DicomUid.Find(u.Value)));
    }

    [Theory]
    [InlineData("1.2.840.10008.1.2", true)]
    [InlineData("0", true)]
    [InlineData("1.0.3", true)]
    [InlineData("2.25.329800735698586629295641978511506172918", true)]
    [InlineData("", false)]
    [InlineData("1..2", false)]
    [InlineData(".1.2", false)]
    [InlineData("1.2.", false)]
    [InlineData("1.02.3", false)]
    [InlineData("1.2.a", false)]
    [InlineData("1.2.3 ", false)]
    [InlineData("1.2.3\0", false)]
    public void IsValid_FollowsPS35Section91(string uid, bool valid)
    {
        Assert.Equal(valid, DicomUid.IsValid(uid));
    }

    [Fact]
    public void IsValid_RejectsMoreThan64Characters()
    {
        var sixtyFour = "1." + new string('1', 62);

        Assert.True(DicomUid.IsValid(sixtyFour));
        Assert.False(DicomUid.IsValid(sixtyFour + "1"));
    }
}
