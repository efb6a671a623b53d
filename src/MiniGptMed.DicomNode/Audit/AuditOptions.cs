namespace MiniGptMed.DicomNode.Audit;

/// <summary>Where audit messages go (PS3.15 A.6 syslog over TLS, A.7 syslog over UDP, or a local file).</summary>
public enum AuditTransport
{
    /// <summary>No collector: the syslog lines are appended to <see cref="AuditOptions.File"/>, one per line.</summary>
    File,

    /// <summary>RFC 5426, port 514 by default (PS3.15 A.7).</summary>
    Udp,

    /// <summary>RFC 5425 with octet counting, port 6514 by default (PS3.15 A.6).</summary>
    Tls,
}

/// <summary>The audit trail (configuration section <c>Audit</c>), read at start.</summary>
public sealed class AuditOptions
{
    public const string Section = "Audit";

    public bool Enabled { get; set; } = true;

    public AuditTransport Transport { get; set; } = AuditTransport.File;

    /// <summary>The collector's host name or address (Udp, Tls).</summary>
    public string? Host { get; set; }

    /// <summary>0: the transport's registered port (514 UDP, 6514 TLS).</summary>
    public int Port { get; set; }

    /// <summary>PEM bundle of the CAs the collector's certificate must chain to (Tls).</summary>
    public string? TrustedCertificatesFile { get; set; }

    /// <summary>Our client certificate and key for the collector (PS3.15 A.6: RFC 5425 mutual authentication), PEM.</summary>
    public string? CertificateFile { get; set; }

    public string? KeyFile { get; set; }

    /// <summary>The file for <see cref="AuditTransport.File"/>; relative to the data directory; default <c>audit/audit.log</c>.</summary>
    public string File { get; set; } = Path.Combine("audit", "audit.log");

    /// <summary>AuditSourceID (PS3.15 A.5.1); default the machine's name.</summary>
    public string? SourceId { get; set; }

    /// <summary>AuditEnterpriseSiteID, optional.</summary>
    public string? EnterpriseSiteId { get; set; }

    /// <summary>Messages waiting to be sent; beyond it new ones are dropped, counted and logged, so reception never waits for the collector.</summary>
    public int QueueCapacity { get; set; } = 10000;

    public int EffectivePort => Port != 0 ? Port : Transport == AuditTransport.Tls ? 6514 : 514;
}
