using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.Network;
using MiniGptMed.Dicom.Network.Dimse;

namespace MiniGptMed.Dicom.Tests.Network.Dimse;

/// <summary>Real peers: DCMTK's echoscu/storescu against our SCP, our SCU against DCMTK's storescp.</summary>
public sealed class DcmtkPeerTests
{
    private static readonly string CtSmall = Path.Combine(TestPaths.PydicomTestFiles, "CT_small.dcm");

    /// <summary>Native-syntax corpus files with distinct instance UIDs, copied into a folder tree for storescu +sd +r.</summary>
    private static (string Folder, List<Part10Source> Files) CorpusTree()
    {
        var folder = Directory.CreateTempSubdirectory("minigptmed-corpus-").FullName;
        var files = new List<Part10Source>();
        var seen = new HashSet<string>();
        foreach (var name in new[] { "CT_small.dcm", "MR_small.dcm", "MR_small_implicit.dcm", "MR_small_bigendian.dcm", "rtplan.dcm", "rtdose.dcm", "reportsi.dcm", "SC_rgb_small_odd.dcm", "liver_1frame.dcm", "waveform_ecg.dcm" })
        {
            var source = Part10Source.Probe(Path.Combine(TestPaths.PydicomTestFiles, name));
            if (!seen.Add(source.SopInstanceUid))
            {
                continue;
            }

            var sub = Path.Combine(folder, files.Count % 2 == 0 ? "a" : Path.Combine("b", "c"));
            Directory.CreateDirectory(sub);
            var target = Path.Combine(sub, name);
            File.Copy(source.Path, target);
            files.Add(source with { Path = target });
        }

        return (folder, files);
    }

    [Fact]
    public async Task Echoscu_ToOurScp_Succeeds()
    {
        await using var scp = new StorageScp();
        var (code, output) = await Dcmtk.RunAsync("echoscu", "-aet", "ECHOSCU", "-aec", "MINIGPTMED", "127.0.0.1", scp.Port.ToString());
        Assert.True(code == 0, output);
    }

    [Theory]
    [InlineData("-xs", "4096")]
    [InlineData("-xe", "131072")]
    [InlineData("-xb", "16384")]
    [InlineData("-xi", "131072")]
    public async Task Storescu_FolderRecursive_ToOurScp_StoresEveryFileUnchanged(string proposal, string maxSendPdu)
    {
        await using var scp = new StorageScp();
        var (folder, files) = CorpusTree();
        try
        {
            var (code, output) = await Dcmtk.RunAsync("storescu", "-R", proposal, "--max-send-pdu", maxSendPdu, "-aec", "MINIGPTMED", "+sd", "+r", "127.0.0.1", scp.Port.ToString(), folder);
            Assert.True(code == 0, output);
            Assert.DoesNotContain("Failed", output, StringComparison.OrdinalIgnoreCase);
            foreach (var file in files)
            {
                var stored = scp.Store.PathOf(file.SopInstanceUid);
                Assert.True(File.Exists(stored), $"{file.Path} was not stored ({proposal}):\n{output}");
                // storescu re-encodes what it sends; the element values must arrive unchanged.
                Assert.True(Part10Bytes.Normalised(file.Path).AsSpan().SequenceEqual(Part10Bytes.Normalised(stored)), $"{file.Path} changed ({proposal})");
            }

            Assert.Empty(scp.TempFiles());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("MR_small_RLE.dcm", "-xr", "1.2.840.10008.1.2.5")]
    [InlineData("MR_small_jpeg_ls_lossless.dcm", "-xt", "1.2.840.10008.1.2.4.80")]
    [InlineData("MR_small_jp2klossless.dcm", "-xv", "1.2.840.10008.1.2.4.90")]
    [InlineData("JPGExtended.dcm", "-xx", "1.2.840.10008.1.2.4.51")]
    [InlineData("SC_rgb_jpeg_dcmtk.dcm", "-xy", "1.2.840.10008.1.2.4.50")]
    public async Task Storescu_CompressedFile_IsAcceptedInItsSyntaxBecauseWeCanDecodeIt(string name, string proposal, string syntax)
    {
        await using var scp = new StorageScp();
        var source = Part10Source.Probe(Path.Combine(TestPaths.PydicomTestFiles, name));
        var (code, output) = await Dcmtk.RunAsync("storescu", "-R", proposal, "-aec", "MINIGPTMED", "127.0.0.1", scp.Port.ToString(), source.Path);
        Assert.True(code == 0, output);
        var stored = DicomFile.Open(scp.Store.PathOf(source.SopInstanceUid));
        Assert.Equal(syntax, stored.TransferSyntax.Uid);
        Assert.Equal(ValuesAsSent(DicomFile.Open(source.Path)), ValuesAsSent(stored));
    }

    /// <summary>
    /// Element values as DICOM JSON, less what storescu itself changes when it sends a file: it drops Data Set
    /// Trailing Padding (FFFC,FFFC) and writes encapsulated Pixel Data as OB (PS3.5 A.4) where the file had OW.
    /// </summary>
    private static string ValuesAsSent(DicomFile file)
    {
        var dataset = file.Dataset.Clone();
        dataset.Remove(new MiniGptMed.Dicom.Data.DicomTag(0xFFFC, 0xFFFC));
        return MiniGptMed.Dicom.Json.DicomJsonWriter.Write(dataset).Replace("\"7FE00010\":{\"vr\":\"OW\"", "\"7FE00010\":{\"vr\":\"OB\"", StringComparison.Ordinal);
    }

    [Fact]
    public async Task FourStorescuInParallel_ToOurScp_AllSucceed()
    {
        await using var scp = new StorageScp();
        var (folder, files) = CorpusTree();
        try
        {
            var runs = Enumerable.Range(0, 4)
                .Select(i => Dcmtk.RunAsync("storescu", "-R", "-aet", $"SCU{i}", "-aec", "MINIGPTMED", "+sd", "+r", "127.0.0.1", scp.Port.ToString(), folder))
                .ToList();
            foreach (var (code, output) in await Task.WhenAll(runs))
            {
                Assert.True(code == 0, output);
            }

            Assert.Equal(files.Count, scp.StoredFiles().Length);
            Assert.Empty(scp.TempFiles());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task OurScu_ToStorescp_EchoesAndStoresWhatWeSent()
    {
        var port = Dcmtk.FreePort();
        var output = Directory.CreateTempSubdirectory("minigptmed-storescp-").FullName;
        var (folder, files) = CorpusTree();
        using var storescp = await Dcmtk.StartListeningAsync(port, "storescp", "-aet", "STORESCP", "-od", output, "-uf", "--accept-all", port.ToString());
        try
        {
            var client = new DicomClient("127.0.0.1", port, "MINIGPTMED", "STORESCP");
            Assert.Equal(DimseStatus.Success, await client.EchoAsync());
            var outcomes = await client.StoreAsync(files);
            Assert.True(outcomes.All(o => o.Succeeded), string.Join("\n", outcomes.Select(o => $"{o.Path}: {o.Status:X4} {o.Error}")));
            foreach (var file in files)
            {
                // storescp -uf names files by SOP class modality prefix and instance UID.
                var stored = Directory.GetFiles(output).Single(p => Path.GetFileName(p).EndsWith(file.SopInstanceUid, StringComparison.Ordinal) || Path.GetFileName(p).EndsWith(file.SopInstanceUid + ".dcm", StringComparison.Ordinal));
                var received = Part10Source.Probe(stored);
                Assert.Equal(file.SopClassUid, received.SopClassUid);
                Assert.True(Part10Bytes.Normalised(file.Path).AsSpan().SequenceEqual(Part10Bytes.Normalised(stored)), $"{file.Path} differs after storescp");
            }
        }
        finally
        {
            storescp.Kill(entireProcessTree: true);
            await storescp.WaitForExitAsync();
            Directory.Delete(output, recursive: true);
            Directory.Delete(folder, recursive: true);
        }
    }
}
