using System.Text.RegularExpressions;
using MiniGptMed.Dicom.Tests.Support;

namespace MiniGptMed.Dicom.Tests.StructuredReport;

/// <summary>The independent readers every report must satisfy: dciodvfy, DCMTK dsrdump and dsr2xml, pydicom.</summary>
internal static partial class ReportValidation
{
    /// <summary>dciodvfy's "Error - ..." lines (it prints warnings too; those are listed in docs/conformance.md).</summary>
    public static async Task<IReadOnlyList<string>> DciodvfyErrorsAsync(string path)
    {
        var result = await ExternalProcess.RunAsync("dciodvfy", ["-new", path]);
        return [.. (result.StandardOutput + result.StandardError).Split('\n').Where(l => l.StartsWith("Error", StringComparison.Ordinal))];
    }

    public static async Task<string> DciodvfyOutputAsync(string path)
    {
        var result = await ExternalProcess.RunAsync("dciodvfy", ["-new", path]);
        return result.StandardOutput + result.StandardError;
    }

    /// <summary>dsrdump's rendering of the tree; fails the test on a non-zero exit or any warning or error it prints.</summary>
    public static async Task<string> DsrdumpAsync(string path)
    {
        var result = await ExternalProcess.RunAsync("dsrdump", ["+Pl", "+Pt", "+Pu", path]);
        Assert.True(result.ExitCode == 0, $"dsrdump exited {result.ExitCode}: {result.StandardError}");
        Assert.True(!WarningOrError().IsMatch(WithoutKnownDcmtkLimits(result.StandardError + result.StandardOutput)), "dsrdump complained:\n" + result.StandardError);
        return result.StandardOutput;
    }

    public static async Task<string> Dsr2XmlAsync(string path)
    {
        var result = await ExternalProcess.RunAsync("dsr2xml", [path]);
        Assert.True(result.ExitCode == 0, $"dsr2xml exited {result.ExitCode}: {result.StandardError}");
        Assert.True(!WarningOrError().IsMatch(WithoutKnownDcmtkLimits(result.StandardError)), "dsr2xml complained:\n" + result.StandardError);
        return result.StandardOutput;
    }

    /// <summary>
    /// DCMTK 3.6.7's string value checker knows no multi-byte sets and says so for every ISO_IR 192 document; it is
    /// a limit of that checker, not a fault of the file (dciodvfy and pydicom check the same values).
    /// </summary>
    private static string WithoutKnownDcmtkLimits(string output) =>
        output.Replace("W: The VR checker does not support this Specific Character Set: ISO_IR 192", string.Empty, StringComparison.Ordinal);

    [GeneratedRegex("^[WE]: ", RegexOptions.Multiline)]
    private static partial Regex WarningOrError();
}
