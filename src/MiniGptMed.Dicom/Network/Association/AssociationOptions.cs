namespace MiniGptMed.Dicom.Network.Association;

/// <summary>Limits and timeouts of one association; defaults say where they come from.</summary>
public sealed class AssociationOptions
{
    /// <summary>
    /// The maximum P-DATA-TF length we announce and accept (PS3.8 D.1). 128 KiB is DCMTK's largest
    /// <c>--max-pdu</c>; memory per association is a small multiple of it.
    /// </summary>
    public int MaxReceivePduLength { get; set; } = 131072;

    /// <summary>Used when the peer announces 0 (no limit, PS3.8 D.1): we still cut our PDUs at this size.</summary>
    public int MaxSendPduLength { get; set; } = 131072;

    /// <summary>PS3.8 9.1.5: the ARTIM timer. 30 s is DCMTK's default <c>--acse-timeout</c>.</summary>
    public TimeSpan ArtimTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>An established association with no PDU for this long is aborted (DCMTK <c>--dimse-timeout</c> is unlimited by default; a node must not hold sockets forever).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// An accepted association that has sent no P-DATA-TF this long after A-ASSOCIATE-AC is aborted. A storage SCU sends
    /// its first command within milliseconds; one that holds an association without using it holds a slot others need.
    /// Kestrel allows a request's headers 30 s (<c>RequestHeadersTimeout</c>) and DCMTK an ACSE exchange 30 s
    /// (<c>-ta</c>); a third of that, since a DICOM SCU has its command ready before it associates.
    /// </summary>
    public TimeSpan FirstMessageTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The largest command set accepted; PS3.7 command sets are a few hundred bytes, 64 KiB leaves room for long UID lists.</summary>
    public int MaxCommandSetLength { get; set; } = 65536;

    /// <summary>PS3.7 D.3.3.2: our Implementation Class UID (a UID root registered for this project is assumed).</summary>
    public string ImplementationClassUid { get; set; } = "1.2.826.0.1.3680043.10.1484.1";

    /// <summary>PS3.7 D.3.3.2: 1-16 characters.</summary>
    public string ImplementationVersionName { get; set; } = "MINIGPTMED_1";

    public void Validate()
    {
        if (MaxReceivePduLength is < 4096 or > 16 * 1024 * 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxReceivePduLength), MaxReceivePduLength, "MaxReceivePduLength must be 4096..16 MiB.");
        }

        if (MaxSendPduLength is < 4096 or > 16 * 1024 * 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxSendPduLength), MaxSendPduLength, "MaxSendPduLength must be 4096..16 MiB.");
        }

        if (ImplementationVersionName.Length is < 1 or > 16)
        {
            throw new ArgumentOutOfRangeException(nameof(ImplementationVersionName), ImplementationVersionName, "ImplementationVersionName must be 1-16 characters (PS3.7 D.3.3.2).");
        }
    }
}
