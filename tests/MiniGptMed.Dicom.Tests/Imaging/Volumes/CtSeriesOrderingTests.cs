using System.Globalization;
using MiniGptMed.Dicom.Imaging.Volumes;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.Tests.Imaging.Support;
using MiniGptMed.Dicom.Tests.Support;

namespace MiniGptMed.Dicom.Tests.Imaging.Volumes;

/// <summary>
/// A CT series written as files by DCMTK (dcmodify on pydicom's CT_small), given in shuffled order with Instance
/// Numbers that disagree with the geometry and a localizer mixed in, comes out ordered without the localizer.
/// </summary>
public sealed class CtSeriesOrderingTests : IDisposable
{
    private static readonly string CtSmall = Path.Combine(TestPaths.PydicomTestFiles, "CT_small.dcm");
    private readonly string _temp = Directory.CreateTempSubdirectory("minigptmed-series-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public void ShuffledSeriesWithLocalizer_IsOrderedAlongTheNormalWithoutTheLocalizer()
    {
        // Feet-first z positions, Instance Numbers deliberately counting the other way round.
        double[] z = [-30, -25, -20, -15, -10, -5];
        var expected = new List<string>();
        var files = new List<string>();
        for (var i = 0; i < z.Length; i++)
        {
            var uid = $"1.2.826.0.1.3680043.8.498.4242.{i + 1}";
            expected.Add(uid);
            files.Add(Slice($"s{i}.dcm", uid, z.Length - i, $"-158.135803\\-179.035797\\{z[i].ToString(CultureInfo.InvariantCulture)}", "1\\0\\0\\0\\1\\0", "ORIGINAL\\PRIMARY\\AXIAL"));
        }

        var localizer = Slice("loc.dcm", "1.2.826.0.1.3680043.8.498.4242.99", 0, "0\\-200\\200", "0\\1\\0\\0\\0\\-1", "ORIGINAL\\PRIMARY\\LOCALIZER");
        files.Add(localizer);
        var shuffled = files.OrderBy(f => f.GetHashCode(StringComparison.Ordinal) ^ 0x5bd1e995).ToList();
        shuffled.Insert(2, shuffled[^1]);
        shuffled.RemoveAt(shuffled.Count - 1);

        var volume = SliceOrderer.Order(shuffled.Select(f => SliceGeometry.FromDataset(DicomFile.Open(f).Dataset)));

        Assert.Equal(expected, volume.Slices.Select(s => s.Geometry.SopInstanceUid));
        Assert.Equal(z, volume.Slices.Select(s => Math.Round(s.Position, 3)));
        var left = Assert.Single(volume.Excluded);
        Assert.Equal("1.2.826.0.1.3680043.8.498.4242.99", left.Geometry.SopInstanceUid);
        Assert.Contains("LOCALIZER", left.Reason, StringComparison.Ordinal);

        var middle = Assert.Single(SliceSelection.Middle.Select(volume));
        Assert.Equal(expected[2], middle.Source.SopInstanceUid);
        Assert.Equal((128, 128, 1), (middle.Source.Rows, middle.Source.Columns, middle.Source.FrameNumber));
        Assert.NotNull(middle.Source.PixelSpacing);
    }

    private string Slice(string name, string uid, int instanceNumber, string position, string orientation, string imageType)
    {
        var path = Path.Combine(_temp, name);
        File.Copy(CtSmall, path);
        ExternalProcess.Run("dcmodify", "-nb",
            "-i", $"(0008,0018)={uid}",
            "-i", $"(0020,0013)={instanceNumber}",
            "-i", $"(0020,0032)={position}",
            "-i", $"(0020,0037)={orientation}",
            "-i", $"(0008,0008)={imageType}",
            path);
        return path;
    }
}
