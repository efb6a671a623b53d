namespace MiniGptMed.DicomNode.Configuration;

/// <summary>Where received instances live (configuration section <c>Storage</c>).</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Relative paths are taken from the working directory (systemd: the unit's WorkingDirectory).</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>fsync each instance before answering Success. Off trades durability across a power cut for speed.</summary>
    public bool FlushToDisk { get; set; } = true;

    /// <summary>Below this much free space C-STORE answers A700 (out of resources), leaving room for the rest of the node.</summary>
    public long MinimumFreeMegabytes { get; set; } = 512;

    /// <summary>
    /// false (default): an instance whose Pixel Data does not fit its Image Pixel module is refused with A900. true: it
    /// is stored, marked not analysable in its File Preamble, and answered B007.
    /// </summary>
    public bool KeepUnfitPixelData { get; set; }
}
