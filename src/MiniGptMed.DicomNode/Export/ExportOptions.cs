namespace MiniGptMed.DicomNode.Export;

/// <summary>Where a destination sends results.</summary>
public enum DestinationType
{
    /// <summary>C-STORE to a DICOM peer (a PACS, a viewer), optionally over DICOM TLS.</summary>
    Dicom,

    /// <summary>Copies into <c>&lt;Path&gt;/results/&lt;study&gt;/</c>, atomically.</summary>
    Folder,
}

/// <summary>
/// Where analysis results go (configuration section <c>Export</c>). Each destination gets one <c>export</c> job per
/// result set. With no destination configured, one folder destination named <see cref="DefaultFolderName"/> keeps the
/// results in the data folder (<c>results/&lt;study&gt;/</c>, where the analysis writes them).
/// </summary>
public sealed class ExportOptions
{
    public const string Section = "Export";

    public const string DefaultFolderName = "folder";

    /// <summary>Our AE title when we call a destination.</summary>
    public string CallingAeTitle { get; set; } = Configuration.ReceptionOptions.DefaultAeTitle;

    public List<DestinationOptions> Destinations { get; set; } = [];

    /// <summary>Per listening AE title, the names of the destinations its results go to; an AE not listed, or listed empty, sends to every destination.</summary>
    public Dictionary<string, List<string>> AeDestinations { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The destinations of one listening AE's results; a name no longer configured is skipped (never "all").</summary>
    public IReadOnlyList<DestinationOptions> EffectiveFor(string calledAe, string dataDirectory) =>
        AeDestinations.TryGetValue(calledAe, out var names) && names.Count > 0
            ? [.. Effective(dataDirectory).Where(d => names.Contains(d.Name, StringComparer.Ordinal))]
            : Effective(dataDirectory);

    /// <summary>The destinations in force: the configured ones, or the default folder destination (the data folder).</summary>
    public IReadOnlyList<DestinationOptions> Effective(string dataDirectory) =>
        Destinations.Count > 0 ? Destinations : [new DestinationOptions { Name = DefaultFolderName, Type = DestinationType.Folder, Path = dataDirectory }];
}

/// <summary>One destination. DICOM: <see cref="AeTitle"/>, <see cref="Host"/>, <see cref="Port"/>; folder: <see cref="Path"/>.</summary>
public sealed class DestinationOptions
{
    /// <summary>Names the destination in jobs (<c>export:&lt;study&gt;:&lt;name&gt;</c>) and logs.</summary>
    public string Name { get; set; } = "";

    public DestinationType Type { get; set; } = DestinationType.Dicom;

    public string AeTitle { get; set; } = "";

    public string Host { get; set; } = "";

    public int Port { get; set; } = 104;

    /// <summary>DICOM TLS (PS3.15 B.9) when set: the CAs (PEM) the destination's certificate must chain to.</summary>
    public string? TlsCaFile { get; set; }

    /// <summary>Our certificate and key (PEM), when the destination asks for one.</summary>
    public string? TlsCertificateFile { get; set; }

    public string? TlsKeyFile { get; set; }

    /// <summary>Folder destinations: the root under which <c>results/&lt;study&gt;/</c> is written.</summary>
    public string Path { get; set; } = "";

    /// <summary>One association (connect, send every object, release) may take this long before it is abandoned.</summary>
    public int AttemptTimeoutSeconds { get; set; } = 120;

    /// <summary>Attempts within one job run after the first fails transiently; then the job itself is retried later (Jobs:BackoffBaseSeconds).</summary>
    public int Retries { get; set; } = 3;

    /// <summary>The first retry's delay; each next one doubles, with jitter.</summary>
    public int RetryDelayMilliseconds { get; set; } = 2000;

    /// <summary>After this many consecutive failed associations the destination is not called for <see cref="BreakSeconds"/>: its jobs wait in the queue.</summary>
    public int BreakAfterFailures { get; set; } = 5;

    public int BreakSeconds { get; set; } = 60;
}
