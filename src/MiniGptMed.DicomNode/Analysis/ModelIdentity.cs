using System.Security.Cryptography;
using MiniGptMed.Inference.Model;

namespace MiniGptMed.DicomNode.Analysis;

/// <summary>
/// Which model answered: its manifest name and a version. The manifest has no version field, so the version is the
/// first 16 hex digits of the manifest's SHA-256. The manifest lists every weight file's SHA-256 and size (its
/// <c>weights</c>, written by the export), so a new export gives another version, and so other result UIDs, whether its
/// sizes, tokens or template changed or only its weights (a retrained model of the same shape), without hashing
/// gigabytes of weights on every run; the engine checks the listed sizes at load. A manifest older than that field
/// versions the manifest only (the engine warns at load).
/// </summary>
internal sealed record ModelIdentity(string Name, string Version)
{
    public static ModelIdentity FromDirectory(string modelDirectory)
    {
        var path = Path.Combine(modelDirectory, ModelManifest.FileName);
        var manifest = ModelManifest.Load(path);
        var hash = SHA256.HashData(File.ReadAllBytes(path));
        return new ModelIdentity(manifest.Name.Length > 0 ? manifest.Name : "minigptmed", "sha256:" + Convert.ToHexStringLower(hash.AsSpan(0, 8)));
    }

    public override string ToString() => $"{Name} {Version}";
}
