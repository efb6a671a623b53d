using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.Network.Dimse;

namespace MiniGptMed.Dicom.Tests.Network.Dimse;

/// <summary>Every non-Success C-STORE status has exactly one Warning line: reason, calling AE, peer, status; no patient data.</summary>
public sealed class StoreRefusalTests
{
    private static readonly string CtSmall = Path.Combine(TestPaths.PydicomTestFiles, "CT_small.dcm");

    [Theory]
    [InlineData("")]
    [InlineData("1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17.18.19.20.21.22.23.24.25.26.27")] // 65 characters
    [InlineData("../../etc/passwd")]
    public async Task InvalidSopInstanceUid_IsRefusedC000_WithOneWarning(string uid)
    {
        await using var scp = new StorageScp();
        var source = Part10Source.Probe(CtSmall);
        await using (var sender = await RawStore.OpenAsync(scp.Port, source.TransferSyntax.Uid, source.SopClassUid))
        {
            var response = await sender.SendAsync(source.SopClassUid, uid, Part10Bytes.DataSetBytes(CtSmall));
            Assert.Equal(DimseStatus.CannotUnderstand, response.Status);
        }

        var line = Assert.Single(scp.Logs.Warnings);
        Assert.Equal(1102, line.EventId);
        Assert.Contains("Affected SOP Instance UID missing or invalid", line.Message);
        Assert.Contains("C000", line.Message);
        Assert.Contains("RAWSCU", line.Message);
        Assert.Contains("127.0.0.1", line.Message);
        Assert.DoesNotContain("passwd", line.Message);
        AssertNoPatientData(scp);
        Assert.Empty(scp.StoredFiles());
    }

    [Fact]
    public async Task SopClassOtherThanTheContext_IsRefused0122_WithOneWarning()
    {
        await using var scp = new StorageScp();
        var source = Part10Source.Probe(CtSmall);
        await using (var sender = await RawStore.OpenAsync(scp.Port, source.TransferSyntax.Uid, source.SopClassUid))
        {
            var response = await sender.SendAsync("1.2.840.10008.5.1.4.1.1.4", source.SopInstanceUid, Part10Bytes.DataSetBytes(CtSmall));
            Assert.Equal(DimseStatus.SopClassNotSupported, response.Status);
        }

        var line = Assert.Single(scp.Logs.Warnings);
        Assert.Contains("SOP class differs from the presentation context", line.Message);
        Assert.Contains("0122", line.Message);
        Assert.Contains(source.SopInstanceUid, line.Message);
    }

    [Fact]
    public async Task DataSetOfAnotherInstance_IsRefusedA900_WithOneWarning()
    {
        await using var scp = new StorageScp();
        var source = Part10Source.Probe(CtSmall);
        await using (var sender = await RawStore.OpenAsync(scp.Port, source.TransferSyntax.Uid, source.SopClassUid))
        {
            Assert.Equal(DimseStatus.DataSetDoesNotMatchSopClass, (await sender.SendAsync(source.SopClassUid, "1.2.3.4.5.6", Part10Bytes.DataSetBytes(CtSmall))).Status);
        }

        Assert.Contains("SOP Instance UID differs from the command", Assert.Single(scp.Logs.Warnings).Message);
        AssertNoPatientData(scp);
    }

    [Fact]
    public async Task TruncatedDataSet_IsRefusedC000_WithOneWarning()
    {
        await using var scp = new StorageScp();
        var source = Part10Source.Probe(CtSmall);
        var data = Part10Bytes.DataSetBytes(CtSmall);
        await using (var sender = await RawStore.OpenAsync(scp.Port, source.TransferSyntax.Uid, source.SopClassUid))
        {
            Assert.Equal(DimseStatus.CannotUnderstand, (await sender.SendAsync(source.SopClassUid, source.SopInstanceUid, data[..(data.Length - 1000)])).Status);
        }

        Assert.Contains("Data set cannot be parsed", Assert.Single(scp.Logs.Warnings).Message);
    }

    [Fact]
    public async Task BelowTheDiskWatermark_IsRefusedA700_WithOneWarning()
    {
        await using var scp = new StorageScp(o => o.MinimumFreeBytes = long.MaxValue);
        Assert.Equal(DimseStatus.OutOfResources, Assert.Single(await scp.Client().StoreAsync([Part10Source.Probe(CtSmall)])).Status);
        var line = Assert.Single(scp.Logs.Warnings);
        Assert.Contains("Disk space below the node's watermark", line.Message);
        Assert.Contains("A700", line.Message);
    }

    [Fact]
    public async Task DiskFullBurst_IsOneWarningAndOneSummary_WithoutStackTraces()
    {
        var logs = new Support.LogCapture();
        await using var scp = new StorageScp(o => o.BeforeStage = stage =>
        {
            if (stage == StoreStage.Values)
            {
                throw new IOException("No space left on device");
            }
        }, logs: logs, refusalLogWindow: TimeSpan.FromMilliseconds(500));
        var source = Part10Source.Probe(CtSmall);
        var data = Part10Bytes.DataSetBytes(CtSmall);
        await using (var sender = await RawStore.OpenAsync(scp.Port, source.TransferSyntax.Uid, source.SopClassUid))
        {
            for (var i = 0; i < 8; i++)
            {
                Assert.Equal(DimseStatus.OutOfResources, (await sender.SendAsync(source.SopClassUid, source.SopInstanceUid, data)).Status);
            }
        }

        var summary = await logs.WaitForAsync(1010);
        Assert.Contains("7 more like it", summary.Message);
        Assert.Contains("A700", summary.Message);
        Assert.Single(logs.Warnings, l => l.EventId == 1102);
        Assert.Equal(2, logs.Warnings.Count);
        Assert.All(logs.Warnings, l => Assert.Null(l.Exception));
        Assert.Empty(scp.StoredFiles());
        Assert.Empty(scp.TempFiles());
    }

    private static void AssertNoPatientData(StorageScp scp)
    {
        var dataset = MiniGptMed.Dicom.IO.DicomFile.Open(CtSmall).Dataset;
        var name = dataset.GetString(DicomTags.PatientName);
        var id = dataset.GetString(DicomTags.PatientID);
        foreach (var line in scp.Logs.Lines)
        {
            Assert.False(!string.IsNullOrEmpty(name) && line.Message.Contains(name, StringComparison.Ordinal), line.Message);
            Assert.False(!string.IsNullOrEmpty(id) && line.Message.Contains(id, StringComparison.Ordinal), line.Message);
        }
    }
}
