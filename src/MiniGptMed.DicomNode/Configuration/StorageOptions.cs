namespace MiniGptMed.DicomNode.Configuration;

/// <summary>Where received instances live (configuration section <c>Storage</c>).</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>
    /// The platform's data folder for the node, never inside the source tree (where <c>git clean -xdf</c> would delete
    /// received studies): <c>$STATE_DIRECTORY</c> when systemd runs the node with <c>StateDirectory=</c> (the first of
    /// its colon-separated list), else the XDG Base Directory data home, <c>$XDG_DATA_HOME/minigptmed</c> (an absolute
    /// value only, as the specification requires), else <c>~/.local/share/minigptmed</c>.
    /// </summary>
    public static string DefaultDataDirectory()
    {
        if (Environment.GetEnvironmentVariable("STATE_DIRECTORY") is { Length: > 0 } state
            && state.Split(':', StringSplitOptions.RemoveEmptyEntries) is [var first, ..] && Path.IsPathRooted(first))
        {
            return first;
        }

        if (Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } dataHome && Path.IsPathRooted(dataHome))
        {
            return Path.Combine(dataHome, "minigptmed");
        }

        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share", "minigptmed");
    }

    /// <summary>
    /// Where instances, the embedded database and the audit spool live. Empty (the default) = <see cref="DefaultDataDirectory"/>;
    /// relative paths are taken from the working directory (systemd: the unit's WorkingDirectory).
    /// </summary>
    public string DataDirectory { get; set; } = string.Empty;

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
