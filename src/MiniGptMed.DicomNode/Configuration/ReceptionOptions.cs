using System.Net;
using MiniGptMed.Dicom.Network.Association;

namespace MiniGptMed.DicomNode.Configuration;

/// <summary>
/// The storage SCP (configuration section <c>Reception</c>). <see cref="ListeningAes"/> and <see cref="Sources"/> are
/// read again for every association, so editing them in a configuration file applies without a restart; the rest
/// is read at start.
/// </summary>
public sealed class ReceptionOptions
{
    public const string Section = "Reception";

    /// <summary>The AE title answered when none is configured.</summary>
    public const string DefaultAeTitle = "MINIGPTMED";

    /// <summary>11112 is the usual unprivileged DICOM port (104, the registered one, needs CAP_NET_BIND_SERVICE).</summary>
    public int Port { get; set; } = 11112;

    /// <summary>The AE titles this node answers to; empty means <see cref="DefaultAeTitle"/> alone.</summary>
    public List<ListeningAeOptions> ListeningAes { get; set; } = [];

    /// <summary>Peers allowed from outside this machine (and, for strict AEs, from inside it too).</summary>
    public List<KnownSourceOptions> Sources { get; set; } = [];

    /// <summary>Associations open at once; beyond it A-ASSOCIATE-RJ transient, local limit exceeded (PS3.8 9.3.4).</summary>
    public int MaxAssociations { get; set; } = 64;

    /// <summary>
    /// Connections open at once from one IP address (associated or not); more are closed at accept. 16 is DCMTK
    /// dcmqrscp's whole MaxAssociations default, a quarter of <see cref="MaxAssociations"/>: one host cannot fill the node.
    /// </summary>
    public int MaxAssociationsPerAddress { get; set; } = 16;

    /// <summary>Associations open at once under one calling AE title; more get A-ASSOCIATE-RJ transient, local limit exceeded. Same reasoning as per address.</summary>
    public int MaxAssociationsPerCallingAe { get; set; } = 16;

    /// <summary>
    /// An accepted association that sends no DIMSE message this long after A-ASSOCIATE-AC is aborted. A third of
    /// Kestrel's 30 s RequestHeadersTimeout and of DCMTK's 30 s ACSE timeout: an SCU sends its first command at once.
    /// </summary>
    public int FirstMessageTimeoutSeconds { get; set; } = 10;

    /// <summary>
    /// When the node is full, the association silent for longest is aborted to make room for a newcomer if it has been
    /// silent at least this long; otherwise the newcomer is refused (neither Kestrel nor DCMTK evicts; they refuse).
    /// </summary>
    public int ReleaseIdleWhenFullSeconds { get; set; } = 10;

    /// <summary>The maximum PDU length announced (PS3.8 D.1); 128 KiB is DCMTK's largest <c>--max-pdu</c>.</summary>
    public int MaxPduLength { get; set; } = 131072;

    /// <summary>PS3.8 9.1.5: ARTIM; 30 s is DCMTK's default <c>--acse-timeout</c>.</summary>
    public int ArtimTimeoutSeconds { get; set; } = 30;

    /// <summary>An association silent this long is aborted, so a hung peer cannot hold a slot for ever.</summary>
    public int IdleTimeoutSeconds { get; set; } = 300;

    /// <summary>
    /// Transfer syntax UIDs accepted, best first. Empty: the native syntaxes, then every compressed syntax the
    /// imaging layer can decode, lossless before lossy. Listed syntaxes that cannot be decoded here are left out.
    /// </summary>
    public List<string> TransferSyntaxes { get; set; } = [];

    /// <summary>DICOM TLS (PS3.15 B.9): a TLS port beside <see cref="Port"/> or instead of it.</summary>
    public ReceptionTlsOptions Tls { get; set; } = new();

    public IReadOnlyList<ListeningAeOptions> EffectiveListeningAes =>
        ListeningAes.Count > 0 ? ListeningAes : [new ListeningAeOptions { AeTitle = DefaultAeTitle }];

    /// <summary>The snapshot the association policy works from; call only on validated options.</summary>
    public AccessRules ToAccessRules() => new(
        [.. EffectiveListeningAes.Select(ae => new ListeningAe(ae.AeTitle.Trim(), ae.RequireKnownSource))],
        [.. Sources.Select(s => new KnownSource(
            s.AeTitle.Trim(),
            [.. s.Addresses.Select(a => ReceptionOptionsValidator.TryParseNetwork(a, out var network) ? network : throw new InvalidOperationException($"unvalidated address '{a}'"))],
            [.. s.CalledAeTitles.Select(t => t.Trim())]))]);
}

/// <summary>One entry of <c>Reception:ListeningAes</c>.</summary>
public sealed class ListeningAeOptions
{
    public string AeTitle { get; set; } = "";

    /// <summary>Accept only <c>Reception:Sources</c>, even from loopback. Off: sources from anywhere, any AE from loopback.</summary>
    public bool RequireKnownSource { get; set; }
}

/// <summary>One entry of <c>Reception:Sources</c>: a peer allowed to send.</summary>
public sealed class KnownSourceOptions
{
    /// <summary>Its calling AE title, or <c>*</c> for any AE title from <see cref="Addresses"/>.</summary>
    public string AeTitle { get; set; } = "";

    /// <summary>IP addresses or CIDR networks (<c>10.1.2.3</c>, <c>10.1.0.0/16</c>, <c>fd00::/8</c>) it connects from.</summary>
    public List<string> Addresses { get; set; } = [];

    /// <summary>The listening AE titles it may call; empty means all.</summary>
    public List<string> CalledAeTitles { get; set; } = [];
}
