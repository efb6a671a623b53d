using MiniGptMed.Dicom.Tests.Support;

namespace MiniGptMed.Dicom.Tests.Network.Admission;

/// <summary>A synthetic CT series made by tools/make_ct_series.py (pydicom), one file per slice.</summary>
internal static class CtSeries
{
    public static async Task<TempDirectory> MakeAsync(int slices, int size)
    {
        var folder = new TempDirectory();
        await ExternalProcess.RunCheckedAsync(TestPaths.Python, [TestPaths.Tool("make_ct_series.py"), folder.Path, "--slices", slices.ToString(), "--size", size.ToString()], TimeSpan.FromSeconds(120));
        return folder;
    }
}
