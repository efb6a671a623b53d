namespace MiniGptMed.Dicom.Tests.Imaging.Support;

/// <summary>The imaging tests' own pydicom scripts (Imaging/Fixtures/*.py, copied next to the test binaries).</summary>
internal static class FixtureScripts
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Imaging", "Fixtures", name);
}
