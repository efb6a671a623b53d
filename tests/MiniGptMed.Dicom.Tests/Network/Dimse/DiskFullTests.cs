using MiniGptMed.Dicom.Network.Dimse;

namespace MiniGptMed.Dicom.Tests.Network.Dimse;

/// <summary>A full (or failing) disk at any write stage of an instance: A700, nothing partial visible, the association goes on.</summary>
public sealed class DiskFullTests
{
    private static readonly string CtSmall = Path.Combine(TestPaths.PydicomTestFiles, "CT_small.dcm");

    [Theory]
    [InlineData("Header", true)]
    [InlineData("Values", true)]
    [InlineData("Seal", true)]
    [InlineData("Flush", true)]
    [InlineData("Rename", true)]
    [InlineData("Header", false)]
    [InlineData("Values", false)]
    [InlineData("Rename", false)]
    public async Task WriteFailureAtAStage_AnswersA700_LeavesNothing_AndTheNextInstanceIsStored(string stageName, bool flush)
    {
        var failing = Enum.Parse<StoreStage>(stageName);
        var failures = 0;
        await using var scp = new StorageScp(o =>
        {
            o.FlushToDisk = flush;
            o.BeforeStage = stage =>
            {
                if (stage == failing && Interlocked.Increment(ref failures) == 1)
                {
                    throw new IOException("No space left on device");
                }
            };
        });
        var source = Part10Source.Probe(CtSmall);
        var data = Part10Bytes.DataSetBytes(CtSmall);
        await using (var sender = await RawStore.OpenAsync(scp.Port, source.TransferSyntax.Uid, source.SopClassUid))
        {
            var refused = await sender.SendAsync(source.SopClassUid, source.SopInstanceUid, data);
            Assert.Equal(DimseStatus.OutOfResources, refused.Status);
            Assert.Empty(scp.StoredFiles());
            Assert.Empty(scp.TempFiles());

            // Space again: the same association stores.
            Assert.Equal(DimseStatus.Success, (await sender.SendAsync(source.SopClassUid, source.SopInstanceUid, data)).Status);
        }

        Assert.Single(scp.StoredFiles());
        Assert.Empty(scp.TempFiles());
        var line = Assert.Single(scp.Logs.Warnings);
        Assert.Contains(StoreSession.WriteFailed, line.Message);
        Assert.Null(line.Exception);
    }
}
