namespace MiniGptMed.Dicom.Network.Admission;

/// <summary>
/// How the listener shares its slots out, so that one misbehaving host or AE cannot take the node from the others.
/// The whole-node limits are <see cref="DicomListenerOptions.MaxAssociations"/> and
/// <see cref="DicomListenerOptions.MaxConnections"/>; the first-message timeout is per association
/// (<see cref="Association.AssociationOptions.FirstMessageTimeout"/>).
/// </summary>
public sealed class AdmissionOptions
{
    /// <summary>
    /// Connections open at once from one IP address, associated or not (a connection holds a receive thread from the
    /// moment it is accepted, so it is counted from then). Beyond it a new connection from that address is closed at
    /// accept, as Kestrel closes connections beyond <c>MaxConcurrentConnections</c>. 16 is DCMTK dcmqrscp's whole
    /// <c>MaxAssociations</c> default: far more than a modality or PACS uses in parallel (DCMTK storescu uses one,
    /// PACS routers a handful), and a quarter of the node's 64, so a single host can never fill it.
    /// </summary>
    public int MaxAssociationsPerAddress { get; set; } = 16;

    /// <summary>
    /// Associations open at once under one calling AE title; beyond it A-ASSOCIATE-RJ transient, local limit exceeded
    /// (PS3.8 9.3.4). Same reasoning and default as <see cref="MaxAssociationsPerAddress"/>: an AE title may come from
    /// several addresses (a PACS cluster), and still cannot take more than a quarter of the node.
    /// </summary>
    public int MaxAssociationsPerCallingAe { get; set; } = 16;

    /// <summary>
    /// When the node is full, the association that has received nothing for longest is aborted to make room for a new
    /// one, provided it has been silent at least this long; otherwise the newcomer is refused. An SCU between two
    /// instances is silent for milliseconds; one silent for 10 s while others wait holds a slot it does not use.
    /// Neither Kestrel nor DCMTK evicts (they refuse); this releases only what a timeout would release later anyway.
    /// </summary>
    public TimeSpan ReleaseIdleWhenFullAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Whether a connection from this address may be accepted at all, asked at accept before it takes a slot.
    /// The node supplies its access rules here (an address no rule lets in is closed unread); null admits every address
    /// and leaves the decision to the <see cref="Association.IAssociationPolicy"/> at A-ASSOCIATE-RQ.
    /// </summary>
    public Func<System.Net.IPAddress, bool>? AddressFilter { get; set; }

    public void Validate()
    {
        if (MaxAssociationsPerAddress < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxAssociationsPerAddress), MaxAssociationsPerAddress, "MaxAssociationsPerAddress must be 1 or more.");
        }

        if (MaxAssociationsPerCallingAe < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxAssociationsPerCallingAe), MaxAssociationsPerCallingAe, "MaxAssociationsPerCallingAe must be 1 or more.");
        }

        if (ReleaseIdleWhenFullAfter < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ReleaseIdleWhenFullAfter), ReleaseIdleWhenFullAfter, "ReleaseIdleWhenFullAfter must not be negative.");
        }
    }
}
