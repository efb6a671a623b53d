using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.Tests.Support;
using MiniGptMed.DicomNode.Catalogue;
using MiniGptMed.DicomNode.Configuration;
using MiniGptMed.DicomNode.Reception;
using MiniGptMed.DicomNode.Tests.Audit;

namespace MiniGptMed.DicomNode.Tests.Reception;

/// <summary>
/// Every stored instance is catalogued (issue 10, item 2): storescu (DCMTK) sends to the node built as <c>serve</c>
/// builds it; the rows are checked field by field, and a node that died between a file and its row, or between the
/// fsync and the rename, finds everything at its next start.
/// </summary>
public sealed class CatalogueRecordingTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("minigptmed-catalogue-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task AStorescuSeries_GivesOneRowPerInstance_WithEveryFieldRight_AndAResendReplacesTheFileUnderOneRow()
    {
        var series = await MakeSeriesAsync("ct", slices: 4);
        var data = Path.Combine(_folder, "data");
        await using var node = await Node.StartAsync(_folder, data);
        var before = DateTimeOffset.UtcNow;
        await StoreScuAsync(node.Port, series);
        var after = DateTimeOffset.UtcNow;

        var sources = Directory.GetFiles(series).Select(p => DicomFile.Open(p).Dataset).ToList();
        var study = sources[0].GetString(DicomTags.StudyInstanceUID)!;
        var rows = await node.Catalogue.InstancesAsync(study);
        Assert.Equal(sources.Count, rows.Count);
        foreach (var source in sources)
        {
            var sop = source.GetString(DicomTags.SOPInstanceUID)!;
            var seriesUid = source.GetString(DicomTags.SeriesInstanceUID)!;
            var row = Assert.Single(rows, r => r.SopInstanceUid == sop);
            var path = Path.Combine(data, "instances", study, seriesUid, sop + ".dcm");
            Assert.Equal(path, row.Path);
            Assert.Equal(new FileInfo(path).Length, row.Size);
            Assert.Equal(source.GetString(DicomTags.SOPClassUID), row.SopClassUid);
            Assert.Equal((study, seriesUid), (row.StudyInstanceUid, row.SeriesInstanceUid));
            Assert.Equal(source.GetString(DicomTags.Modality), row.Modality);
            Assert.Equal(source.GetString(DicomTags.BodyPartExamined), row.BodyPartExamined);
            Assert.Equal(source.GetString(DicomTags.SeriesDescription), row.SeriesDescription);
            Assert.Equal(int.Parse(source.GetString(DicomTags.SeriesNumber)!), row.SeriesNumber);
            Assert.Equal(int.Parse(source.GetString(DicomTags.InstanceNumber)!), row.InstanceNumber);
            Assert.Equal(("CT1", "NODE", "127.0.0.1"), (row.CallingAe, row.CalledAe, row.PeerAddress));
            Assert.InRange(row.ReceivedAt, before.AddSeconds(-1), after.AddSeconds(1));
        }

        Assert.Equal(sources.Count, (await node.Catalogue.StudyAsync("NODE", study))!.InstanceCount);

        // The same instance again: its file is replaced (a new inode renamed over the name) and it stays one row.
        var first = Directory.GetFiles(series).Order(StringComparer.Ordinal).First();
        var firstSop = DicomFile.Open(first).Dataset.GetString(DicomTags.SOPInstanceUID)!;
        var stored = (await node.Catalogue.InstanceAsync(firstSop))!;
        var inodeBefore = Inode(stored.Path);
        await StoreScuAsync(node.Port, first);
        var again = (await node.Catalogue.InstanceAsync(firstSop))!;
        Assert.NotEqual(inodeBefore, Inode(again.Path));
        Assert.Equal(stored.Path, again.Path);
        Assert.True(again.ReceivedAt > stored.ReceivedAt);
        Assert.Equal(sources.Count, (await node.Catalogue.InstancesAsync(study)).Count);
        Assert.Equal(sources.Count, (await node.Catalogue.StudyAsync("NODE", study))!.InstanceCount);
        Assert.Equal(sources.Count, Directory.GetFiles(Path.Combine(data, "instances"), "*.dcm", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public async Task ANodeThatDiedBetweenTheFileAndTheRow_OrBeforeTheRename_CataloguesTheFilesAtItsNextStart()
    {
        var series = await MakeSeriesAsync("ct", slices: 3);
        var first = Path.Combine(_folder, "first");
        await using (var node = await Node.StartAsync(_folder, first))
        {
            await StoreScuAsync(node.Port, series);
        }

        var stored = Directory.GetFiles(Path.Combine(first, "instances"), "*.dcm", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(3, stored.Count);

        // Another data folder with a fresh database: two sealed files in the layout without their rows (the node died
        // after the rename, before the commit), one sealed file still in .incoming (died before the rename).
        var second = Path.Combine(_folder, "second");
        foreach (var path in stored.Take(2))
        {
            var target = Path.Combine(second, Path.GetRelativePath(first, path));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(path, target);
        }

        Directory.CreateDirectory(Path.Combine(second, ".incoming"));
        File.Copy(stored[2], Path.Combine(second, ".incoming", "0123456789abcdef.part"));

        await using (var node = await Node.StartAsync(_folder, second))
        {
            Assert.Equal(3, node.Reception.Reconciled!.Value.Added);
            foreach (var path in stored)
            {
                var expected = Path.Combine(second, Path.GetRelativePath(first, path));
                Assert.True(File.Exists(expected), expected);
                var sop = Path.GetFileNameWithoutExtension(path);
                var row = await node.Catalogue.InstanceAsync(sop);
                Assert.NotNull(row);
                Assert.Equal(expected, row.Path);
                Assert.Equal(new FileInfo(expected).Length, row.Size);
                // From the file's meta (Source/Receiving AE Title) and its time; the peer is not in the file.
                Assert.Equal(("CT1", "NODE", (string?)null), (row.CallingAe, row.CalledAe, row.PeerAddress));
                Assert.Equal(new DateTimeOffset(File.GetLastWriteTimeUtc(expected)), row.ReceivedAt, TimeSpan.FromMilliseconds(1));
                Assert.Equal("CT", row.Modality);
            }

            Assert.DoesNotContain(Directory.GetFiles(Path.Combine(second, ".incoming")), p => new FileInfo(p).Length > 0);
        }

        // A second start finds everything in place: nothing added, nothing removed.
        await using (var node = await Node.StartAsync(_folder, second))
        {
            Assert.Equal(new ReconcileResult(0, 0, 0, 3), node.Reception.Reconciled);
        }
    }

    [Fact]
    public async Task ARowRecordedWhileItsFileWasFlushed_IsTakenBack_WhenTheStoreFailed_ToTheCopyHeldBefore_OrToNothing()
    {
        // With flush the row is written while the file is flushed; a flush or rename that then fails is undone here.
        var series = await MakeSeriesAsync("ct", slices: 2);
        var data = Path.Combine(_folder, "data");
        await using var node = await Node.StartAsync(_folder, data);
        await StoreScuAsync(node.Port, series);
        var recorder = (CatalogueRecorder)node.Services.GetRequiredService<MiniGptMed.Dicom.Network.Dimse.IStoredInstanceSink>();
        var held = (await node.Catalogue.InstancesAsync(DicomFile.Open(Directory.GetFiles(series)[0]).Dataset.GetString(DicomTags.StudyInstanceUID)!))[0];

        // A re-send of a held instance failed: its row had taken the new copy's values, the earlier file is still in place.
        await node.Catalogue.RecordAsync(held with { Size = 1, CallingAe = "OTHER", PeerAddress = "10.0.0.9" });
        await recorder.ForgetAsync(held.SopInstanceUid, held.Path);
        var restored = (await node.Catalogue.InstanceAsync(held.SopInstanceUid))!;
        Assert.Equal((held.Path, held.Size, "CT1"), (restored.Path, restored.Size, restored.CallingAe));
        Assert.Equal(2, (await node.Catalogue.StudyAsync("NODE", held.StudyInstanceUid))!.InstanceCount);

        // A new instance failed: nothing is at its path, so its row goes and its study counts it out again.
        var lost = held with { SopInstanceUid = held.SopInstanceUid + ".9", Path = Path.Combine(Path.GetDirectoryName(held.Path)!, held.SopInstanceUid + ".9.dcm") };
        await node.Catalogue.RecordAsync(lost);
        Assert.Equal(3, (await node.Catalogue.StudyAsync("NODE", held.StudyInstanceUid))!.InstanceCount);
        await recorder.ForgetAsync(lost.SopInstanceUid, lost.Path);
        Assert.Null(await node.Catalogue.InstanceAsync(lost.SopInstanceUid));
        Assert.Equal(2, (await node.Catalogue.StudyAsync("NODE", held.StudyInstanceUid))!.InstanceCount);
    }

    [Theory]
    [InlineData("XDG_DATA_HOME", "xdg", "xdg/minigptmed")]
    [InlineData("STATE_DIRECTORY", "state", "state")]
    public async Task Serve_WithNoDataFolderConfigured_UsesThePlatformsDataFolder_AndPrintsIt(string variable, string value, string expected)
    {
        // A child process, as a user or systemd starts it: the environment is its own.
        var home = Directory.CreateDirectory(Path.Combine(_folder, "home")).FullName;
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "minigptmed.dll"), "serve", "--port", "0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _folder,
        };
        start.Environment["HOME"] = home;
        start.Environment.Remove("XDG_DATA_HOME");
        start.Environment.Remove("STATE_DIRECTORY");
        start.Environment[variable] = Path.Combine(_folder, value);
        using var process = Process.Start(start)!;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            string? line;
            do
            {
                line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            }
            while (line is not null && !line.StartsWith("minigptmed serve: port", StringComparison.Ordinal));

            Assert.NotNull(line);
            Assert.EndsWith($"storing into {Path.Combine(_folder, expected)}", line, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(_folder, expected, "node.db")));
            Assert.False(Directory.Exists(Path.Combine(_folder, "data")));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static long Inode(string path) =>
        long.Parse(ExternalProcess.RunCheckedAsync("stat", ["-c", "%i", path]).GetAwaiter().GetResult().Trim(), System.Globalization.CultureInfo.InvariantCulture);

    private async Task<string> MakeSeriesAsync(string name, int slices)
    {
        var series = Path.Combine(_folder, name);
        await ExternalProcess.RunCheckedAsync(TestPaths.Python, [TestPaths.Tool("make_ct_series.py"), series, "--slices", slices.ToString(System.Globalization.CultureInfo.InvariantCulture), "--size", "64"]);
        return series;
    }

    private static async Task StoreScuAsync(int port, string path)
    {
        var result = await ExternalProcess.RunAsync("storescu", ["-aet", "CT1", "-aec", "NODE", "+sd", "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture), path]);
        Assert.True(result.ExitCode == 0, result.StandardError);
    }

    private sealed class Node(IHost host) : IAsyncDisposable
    {
        public ReceptionService Reception => host.Services.GetRequiredService<ReceptionService>();

        public ICatalogue Catalogue => host.Services.GetRequiredService<ICatalogue>();

        public IServiceProvider Services => host.Services;

        public int Port => Reception.LocalEndPoint.Port;

        public static async Task<Node> StartAsync(string folder, string data)
        {
            var config = Path.Combine(folder, "node.json");
            await File.WriteAllTextAsync(config, """{ "Reception": { "Port": 0, "ListeningAes": [ { "AeTitle": "NODE" } ] } }""");
            var host = NodeHost.Build(new NodeHostSettings { ConfigFile = config, DataDirectory = data });
            await host.StartAsync();
            return new Node(host);
        }

        public async ValueTask DisposeAsync()
        {
            await host.StopAsync();
            host.Dispose();
        }
    }
}
