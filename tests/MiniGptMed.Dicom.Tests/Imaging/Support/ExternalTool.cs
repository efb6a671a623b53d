using System.Diagnostics;

namespace MiniGptMed.Dicom.Tests.Imaging.Support;

/// <summary>Runs the real peers (DCMTK, GDCM, Debian's python3 with pydicom) that produce test references.</summary>
internal static class ExternalTool
{
    /// <summary>Debian's interpreter, where python3-pydicom is installed (a pyenv shim may shadow it on PATH).</summary>
    public static string Python => MiniGptMed.Dicom.Tests.Support.TestPaths.Python;

    public static string FixtureScript(string name) => Path.Combine(AppContext.BaseDirectory, "Imaging", "Fixtures", name);

    public static string Run(string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish in 2 minutes");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} exited {process.ExitCode}: {stderr.Result}");
        }

        return stdout;
    }
}
