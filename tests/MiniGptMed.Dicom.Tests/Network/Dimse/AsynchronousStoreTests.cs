using System.Buffers;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.Network.Dimse;

namespace MiniGptMed.Dicom.Tests.Network.Dimse;

/// <summary>
/// The acceptor's read loop normally runs on its receive thread; a store service that truly awaits moves it to the
/// thread pool while the receive thread keeps reading (bounded by the pipe). Data must arrive whole and in order.
/// </summary>
public sealed class AsynchronousStoreTests
{
    [Theory]
    [InlineData(4096)]
    [InlineData(131072)]
    public async Task Store_WhenTheServiceAwaitsEveryFragment_StoresEveryInstanceByteForByte(int maxPdu)
    {
        await using var scp = new StorageScp(wrapStore: inner => new YieldingStoreService(inner));
        var big = Path.Combine(scp.Root, "big.tmp");
        WriteOneMegabyteCt(big);
        string[] files = [Path.Combine(TestPaths.PydicomTestFiles, "CT_small.dcm"), big];
        var (exit, output) = await Dcmtk.RunAsync("storescu", ["-aet", "TESTSCU", "-aec", "MINIGPTMED", "--max-send-pdu", maxPdu.ToString(System.Globalization.CultureInfo.InvariantCulture), "127.0.0.1", scp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. files]);
        Assert.True(exit == 0, output);
        foreach (var file in files)
        {
            var source = Part10Source.Probe(file);
            var stored = scp.Store.PathOf(source.SopInstanceUid);
            // DCMTK drops Data Set Trailing Padding when it sends; everything else must be as in the file.
            Assert.Equal(Part10Bytes.Normalised(file), Part10Bytes.Normalised(stored));
        }

        Assert.Empty(scp.TempFiles());
    }

    /// <summary>CT_small with 512x1024 16-bit pixels (1 MiB): more than the receive pipe holds before it pauses.</summary>
    private static void WriteOneMegabyteCt(string path)
    {
        var file = DicomFile.Open(Path.Combine(TestPaths.PydicomTestFiles, "CT_small.dcm"), new DicomReaderOptions { LargeValueThreshold = int.MaxValue });
        var dataset = file.Dataset.Clone();
        dataset.AddOrUpdate(new DicomTag(0x0028, 0x0010), DicomVR.US, (ushort)512);
        dataset.AddOrUpdate(new DicomTag(0x0028, 0x0011), DicomVR.US, (ushort)1024);
        dataset.RemoveAll(e => e.Tag == new DicomTag(0xFFFC, 0xFFFC));
        dataset.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, "1.2.826.0.1.3680043.10.1484.99.1");
        dataset.AddOrUpdate(new DicomTag(0x7FE0, 0x0010), DicomVR.OW, Enumerable.Range(0, 1 << 20).Select(i => (byte)(i * 31)).ToArray());
        new DicomFile(new DicomDataset(), dataset, file.TransferSyntax).Save(path);
    }

    private sealed class YieldingStoreService(IDicomStoreService inner) : IDicomStoreService
    {
        public async ValueTask<IStoreSession> BeginStoreAsync(StoreRequest request, CancellationToken cancellationToken)
        {
            await Task.Yield();
            return new Session(await inner.BeginStoreAsync(request, cancellationToken));
        }

        private sealed class Session(IStoreSession inner) : IStoreSession
        {
            public async ValueTask WriteAsync(ReadOnlySequence<byte> fragment, CancellationToken cancellationToken)
            {
                await Task.Delay(1, cancellationToken);
                await inner.WriteAsync(fragment, cancellationToken);
            }

            public async ValueTask<StoreResult> CompleteAsync(CancellationToken cancellationToken)
            {
                await Task.Yield();
                return await inner.CompleteAsync(cancellationToken);
            }

            public ValueTask DisposeAsync() => inner.DisposeAsync();
        }
    }
}
