using System.Text.Json;

namespace MiniGptMed.Dicom.Tests.Support;

/// <summary>pydicom's reading of a set of files (tools/pydicom_json.py), the independent reference.</summary>
public sealed class PydicomOracle
{
    private readonly Dictionary<string, JsonElement> _views;

    private PydicomOracle(Dictionary<string, JsonElement> views) => _views = views;

    public static async Task<PydicomOracle> ReadAsync(IEnumerable<string> paths)
    {
        using var temp = new TempDirectory();
        var output = temp.File("oracle.json");
        await ExternalProcess.RunCheckedAsync(TestPaths.Python, [TestPaths.Tool("pydicom_json.py"), output, .. paths], TimeSpan.FromMinutes(5));
        using var document = JsonDocument.Parse(await File.ReadAllBytesAsync(output));
        var views = document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
        return new PydicomOracle(views);
    }

    /// <summary>"ok", "warned" or "rejected".</summary>
    public string Status(string path) => _views[path].GetProperty("status").GetString()!;

    public string Error(string path) => _views[path].TryGetProperty("error", out var e) ? e.GetString()! : string.Empty;

    public JsonElement Json(string path) => _views[path].GetProperty("json");
}
