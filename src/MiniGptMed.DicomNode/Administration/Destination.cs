using MiniGptMed.DicomNode.Export;

namespace MiniGptMed.DicomNode.Administration;

/// <summary>Where results go: a DICOM peer (<see cref="AeTitle"/>, <see cref="Host"/>, <see cref="Port"/>) or a folder (<see cref="Path"/>).</summary>
public sealed record Destination
{
    // Settable, not init-only: source-generated JSON assigns every init-only property in one object initializer, so a
    // property a request body leaves out would lose its default here (an AE added with only its title got MaxWait 0).
    /// <summary>Names it in export jobs (<c>export:&lt;study&gt;:&lt;name&gt;</c>): no colon, space or control character.</summary>
    public string Name { get; set; } = "";

    public DestinationType Type { get; set; } = DestinationType.Dicom;

    public string AeTitle { get; set; } = "";

    public string Host { get; set; } = "";

    public int Port { get; set; } = 104;

    /// <summary>Folder destinations: the root of <c>results/&lt;study&gt;/</c>; empty: the node's data folder.</summary>
    public string Path { get; set; } = "";

    /// <summary>DICOM TLS (PS3.15 B.9) when set: the CAs (PEM) the destination's certificate must chain to.</summary>
    public string? TlsCaFile { get; set; }

    public string? TlsCertificateFile { get; set; }

    public string? TlsKeyFile { get; set; }

    public int AttemptTimeoutSeconds { get; set; } = 120;

    public int Retries { get; set; } = 3;

    public int RetryDelayMilliseconds { get; set; } = 2000;

    public int BreakAfterFailures { get; set; } = 5;

    public int BreakSeconds { get; set; } = 60;
}
