using MiniGptMed.DicomNode.Export;

namespace MiniGptMed.DicomNode.Administration;

/// <summary>Where results go: a DICOM peer (<see cref="AeTitle"/>, <see cref="Host"/>, <see cref="Port"/>) or a folder (<see cref="Path"/>).</summary>
public sealed record Destination
{
    /// <summary>Names it in export jobs (<c>export:&lt;study&gt;:&lt;name&gt;</c>): no colon, space or control character.</summary>
    public string Name { get; init; } = "";

    public DestinationType Type { get; init; } = DestinationType.Dicom;

    public string AeTitle { get; init; } = "";

    public string Host { get; init; } = "";

    public int Port { get; init; } = 104;

    /// <summary>Folder destinations: the root of <c>results/&lt;study&gt;/</c>; empty: the node's data folder.</summary>
    public string Path { get; init; } = "";

    /// <summary>DICOM TLS (PS3.15 B.9) when set: the CAs (PEM) the destination's certificate must chain to.</summary>
    public string? TlsCaFile { get; init; }

    public string? TlsCertificateFile { get; init; }

    public string? TlsKeyFile { get; init; }

    public int AttemptTimeoutSeconds { get; init; } = 120;

    public int Retries { get; init; } = 3;

    public int RetryDelayMilliseconds { get; init; } = 2000;

    public int BreakAfterFailures { get; init; } = 5;

    public int BreakSeconds { get; init; } = 60;
}
