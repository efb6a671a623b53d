namespace MiniGptMed.Dicom.Tests.Support;

/// <summary>dicom3tools' dciodvfy: checks an object against its IOD. Every line it prints is a finding.</summary>
public static class Dciodvfy
{
    public sealed record Report(IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings, string Text)
    {
        /// <summary>The warnings none of <paramref name="accepted"/> (substrings) explains.</summary>
        public IReadOnlyList<string> WarningsExcept(IEnumerable<string> accepted) =>
            [.. Warnings.Where(w => !accepted.Any(a => w.Contains(a, StringComparison.Ordinal)))];
    }

    public static async Task<Report> CheckAsync(string path)
    {
        var result = await ExternalProcess.RunAsync("dciodvfy", [path]);
        var lines = (result.StandardError + "\n" + result.StandardOutput).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new Report(
            [.. lines.Where(l => l.StartsWith("Error", StringComparison.Ordinal))],
            [.. lines.Where(l => l.StartsWith("Warning", StringComparison.Ordinal))],
            string.Join('\n', lines));
    }
}
