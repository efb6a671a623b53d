using System.Collections.Concurrent;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.Network.Dimse;

namespace MiniGptMed.Dicom.Tests.Network.Dimse;

/// <summary>The store's layout (instances/&lt;study&gt;/&lt;series&gt;/&lt;sop&gt;.dcm), its meta AE titles, and what it tells its sink before Success.</summary>
public sealed class StoreLayoutTests
{
    private const string Study = "1.2.826.0.1.3680043.10.1484.7.1";
    private const string Series = "1.2.826.0.1.3680043.10.1484.7.1.1";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AStoredInstance_LandsInItsStudyAndSeriesFolder_WithBothAeTitlesInItsMeta_AndIsToldToTheSinkBeforeSuccess(bool flush)
    {
        var sink = new RecordingSink();
        await using var scp = new StorageScp(o => o.FlushToDisk = flush, sink: sink);
        var uid = DicomUidGenerator.Generate();
        var image = RawStore.Image(uid, 4, 4, 8)
            .AddOrUpdate(DicomTags.Modality, DicomVR.CS, "CT")
            .AddOrUpdate(DicomTags.BodyPartExamined, DicomVR.CS, "CHEST")
            .AddOrUpdate(DicomTags.SeriesDescription, DicomVR.LO, "Axial 1mm")
            .AddOrUpdate(DicomTags.SeriesNumber, DicomVR.IS, "3")
            .AddOrUpdate(DicomTags.InstanceNumber, DicomVR.IS, "17");
        await using (var sender = await RawStore.OpenAsync(scp.Port))
        {
            Assert.Equal(DimseStatus.Success, (await sender.SendAsync(RawStore.CtImageStorage, uid, RawStore.WithNativePixels(image, 16))).Status);
            // Told before the response: the sink holds it by the time Success arrived.
            var told = Assert.Single(sink.Instances);
            var expectedPath = Path.Combine(scp.Root, "instances", Study, Series, uid + ".dcm");
            Assert.Equal(expectedPath, told.Path);
            Assert.Equal(new FileInfo(expectedPath).Length, told.Size);
            Assert.Equal(new InstanceFacts(Study, Series, "CT", "CHEST", "Axial 1mm", 3, 17), told.Facts);
            Assert.Equal("RAWSCU", told.Request.Association.CallingAeTitle);
            Assert.Equal("MINIGPTMED", told.Request.Association.CalledAeTitle);
        }

        var stored = Assert.Single(scp.StoredFiles());
        Assert.Equal(Path.Combine(scp.Root, "instances", Study, Series, uid + ".dcm"), stored);
        var meta = DicomFile.Open(stored).FileMetaInformation;
        Assert.Equal("RAWSCU", meta.GetString(DicomTags.SourceApplicationEntityTitle));
        Assert.Equal("MINIGPTMED", meta.GetString(DicomTags.ReceivingApplicationEntityTitle));
        Assert.Equal(flush, InstanceSeal.Verify(stored));
    }

    [Fact]
    public async Task FactsFromTheFullParse_WhenTheHeadIsNotConclusive()
    {
        // Encapsulated Pixel Data: the head check does not decide, the full parse does, and gives the facts too.
        var sink = new RecordingSink();
        await using var scp = new StorageScp(sink: sink);
        var uid = DicomUidGenerator.Generate();
        await using (var sender = await RawStore.OpenAsync(scp.Port, RawStore.Rle))
        {
            var image = RawStore.Image(uid, 8, 8, 8, frames: 1).AddOrUpdate(DicomTags.InstanceNumber, DicomVR.IS, "5");
            Assert.Equal(DimseStatus.Success, (await sender.SendAsync(RawStore.CtImageStorage, uid, RawStore.WithFragments(image, 1))).Status);
        }

        var told = Assert.Single(sink.Instances);
        Assert.Equal((Study, Series, (int?)5), (told.Facts.StudyInstanceUid, told.Facts.SeriesInstanceUid, told.Facts.InstanceNumber));
    }

    [Theory]
    [InlineData("../../escaped")]
    [InlineData("1.2/../../3")]
    [InlineData("")]
    public async Task AStudyUidThatIsNoUid_IsRefusedC000_AndNothingIsWritten(string study)
    {
        var sink = new RecordingSink();
        // The store's root one level down in a folder of its own: "../.." from its instances folder lands in it.
        using var parent = TestPaths.CreateTempDirectory();
        await using var scp = new StorageScp(sink: sink, root: parent.File("store"));
        var uid = DicomUidGenerator.Generate();
        var image = RawStore.Image(uid, 2, 2, 8);
        // A misbehaving peer's value goes in as it is: the raw element path, which the checked setters refuse.
        var raw = System.Text.Encoding.ASCII.GetBytes(study.Length % 2 == 0 ? study : study + "\0");
        image.AddOrUpdate(new DicomValueElement(DicomTags.StudyInstanceUID, DicomVR.UI, DicomBuffer.FromBytes(raw)));
        await using (var sender = await RawStore.OpenAsync(scp.Port))
        {
            Assert.Equal(DimseStatus.CannotUnderstand, (await sender.SendAsync(RawStore.CtImageStorage, uid, RawStore.WithNativePixels(image, 4))).Status);
        }

        Assert.Empty(scp.StoredFiles());
        Assert.Empty(scp.TempFiles());
        Assert.Empty(sink.Instances);
        Assert.Equal([scp.Root], Directory.GetFileSystemEntries(parent.Path));
        Assert.Empty(Directory.GetFiles(parent.Path, "*.dcm", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task ASinkThatFails_TurnsSuccessIntoA700_AndTheFileStaysForReconciliation()
    {
        var sink = new RecordingSink { Fail = true };
        await using var scp = new StorageScp(sink: sink);
        var uid = DicomUidGenerator.Generate();
        await using (var sender = await RawStore.OpenAsync(scp.Port))
        {
            Assert.Equal(DimseStatus.OutOfResources, (await sender.SendAsync(RawStore.CtImageStorage, uid, RawStore.WithNativePixels(RawStore.Image(uid, 2, 2, 8), 4))).Status);
        }

        Assert.True(File.Exists(scp.Store.PathFor(Study, Series, uid)));
    }

    [Fact]
    public async Task WithFlush_TheSinkIsToldWhileTheFileIsFlushed_NotAfter()
    {
        var sink = new RecordingSink();
        var toldBeforeTheFlushEnded = false;
        await using var scp = new StorageScp(o => o.BeforeStage = stage =>
        {
            // The flush of this instance waits here until the sink has heard of it: were the sink told only after the
            // flush, it would never hear of it in time.
            if (stage == StoreStage.Flush)
            {
                toldBeforeTheFlushEnded = sink.Told.Wait(TimeSpan.FromSeconds(10));
            }
        }, sink: sink);
        var uid = DicomUidGenerator.Generate();
        await using (var sender = await RawStore.OpenAsync(scp.Port))
        {
            Assert.Equal(DimseStatus.Success, (await sender.SendAsync(RawStore.CtImageStorage, uid, RawStore.WithNativePixels(RawStore.Image(uid, 2, 2, 8), 4))).Status);
        }

        Assert.True(toldBeforeTheFlushEnded);
        var told = Assert.Single(sink.Instances);
        Assert.Equal(new FileInfo(told.Path).Length, told.Size);
        Assert.True(InstanceSeal.Verify(told.Path));
    }

    [Theory]
    [InlineData("Flush")]
    [InlineData("Rename")]
    public async Task WithFlush_AStoreThatFailsAfterTheSinkWasTold_AnswersA700_AndTellsTheSinkItWasNotStored(string stageName)
    {
        var failing = Enum.Parse<StoreStage>(stageName);
        var failures = 0;
        var sink = new RecordingSink();
        await using var scp = new StorageScp(o => o.BeforeStage = stage =>
        {
            if (stage == failing && Interlocked.Increment(ref failures) == 1)
            {
                // The sink has been told by now (or is being told): the failure comes after it, as a failing disk's would.
                sink.Told.Wait(TimeSpan.FromSeconds(10));
                throw new IOException("Input/output error");
            }
        }, sink: sink);
        var uid = DicomUidGenerator.Generate();
        await using (var sender = await RawStore.OpenAsync(scp.Port))
        {
            var data = RawStore.WithNativePixels(RawStore.Image(uid, 2, 2, 8), 4);
            Assert.Equal(DimseStatus.OutOfResources, (await sender.SendAsync(RawStore.CtImageStorage, uid, data)).Status);
            Assert.Equal(["stored " + uid, "not stored " + uid], sink.Events);
            Assert.Empty(scp.StoredFiles());

            // Sent again, it is stored and told once more, and not taken back.
            Assert.Equal(DimseStatus.Success, (await sender.SendAsync(RawStore.CtImageStorage, uid, data)).Status);
        }

        Assert.Equal(["stored " + uid, "not stored " + uid, "stored " + uid], sink.Events);
        Assert.Single(scp.StoredFiles());
        Assert.Empty(scp.TempFiles());
    }

    [Fact]
    public async Task WithoutFlush_AFailedRename_IsNeverToldToTheSink()
    {
        var failures = 0;
        var sink = new RecordingSink();
        await using var scp = new StorageScp(o =>
        {
            o.FlushToDisk = false;
            o.BeforeStage = stage =>
            {
                if (stage == StoreStage.Rename && Interlocked.Increment(ref failures) == 1)
                {
                    throw new IOException("Input/output error");
                }
            };
        }, sink: sink);
        var uid = DicomUidGenerator.Generate();
        await using (var sender = await RawStore.OpenAsync(scp.Port))
        {
            Assert.Equal(DimseStatus.OutOfResources, (await sender.SendAsync(RawStore.CtImageStorage, uid, RawStore.WithNativePixels(RawStore.Image(uid, 2, 2, 8), 4))).Status);
        }

        Assert.Empty(sink.Events);
        Assert.Empty(scp.StoredFiles());
    }

    [Fact]
    public async Task TheSameInstanceSentTwice_ReplacesTheFile_AndIsToldTwiceWithTheSamePath()
    {
        var sink = new RecordingSink();
        await using var scp = new StorageScp(sink: sink);
        var uid = DicomUidGenerator.Generate();
        await using (var sender = await RawStore.OpenAsync(scp.Port))
        {
            Assert.Equal(DimseStatus.Success, (await sender.SendAsync(RawStore.CtImageStorage, uid, RawStore.WithNativePixels(RawStore.Image(uid, 2, 2, 8), 4))).Status);
            Assert.Equal(DimseStatus.Success, (await sender.SendAsync(RawStore.CtImageStorage, uid, RawStore.WithNativePixels(RawStore.Image(uid, 4, 4, 8), 16))).Status);
        }

        var stored = Assert.Single(scp.StoredFiles());
        Assert.Equal(4, DicomFile.Open(stored).Dataset.GetValue<ushort>(DicomTags.Rows));
        Assert.Equal([stored, stored], sink.Instances.Select(i => i.Path));
    }

    internal sealed class RecordingSink : IStoredInstanceSink
    {
        public ConcurrentQueue<StoredInstance> Instances { get; } = new();

        /// <summary>What the sink was told, in order: "stored UID" or "not stored UID".</summary>
        public ConcurrentQueue<string> Events { get; } = new();

        /// <summary>Set once the sink has been told of an instance.</summary>
        public SemaphoreSlim Told { get; } = new(0);

        public bool Fail { get; init; }

        public ValueTask InstanceStoredAsync(StoredInstance instance, CancellationToken cancellationToken)
        {
            if (Fail)
            {
                throw new InvalidOperationException("the catalogue is unavailable");
            }

            Instances.Enqueue(instance);
            Events.Enqueue("stored " + instance.Request.SopInstanceUid);
            Told.Release();
            return ValueTask.CompletedTask;
        }

        public ValueTask InstanceNotStoredAsync(StoredInstance instance, CancellationToken cancellationToken)
        {
            Events.Enqueue("not stored " + instance.Request.SopInstanceUid);
            return ValueTask.CompletedTask;
        }
    }
}
