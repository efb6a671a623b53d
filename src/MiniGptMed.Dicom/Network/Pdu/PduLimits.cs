namespace MiniGptMed.Dicom.Network.Pdu;

/// <summary>Bounds on what a peer may make us parse or allocate, whatever its PDUs declare.</summary>
public static class PduLimits
{
    /// <summary>PS3.8 9.3.1: the fixed header of every PDU: type (1), reserved (1), PDU-length (4).</summary>
    public const int HeaderLength = 6;

    /// <summary>
    /// A-ASSOCIATE-RQ/AC are not bound by the negotiated maximum (it is not known yet). 1 MiB holds
    /// 128 presentation contexts with dozens of transfer syntaxes each, far beyond DCMTK's largest proposals.
    /// </summary>
    public const int MaxAssociatePduLength = 1 << 20;

    /// <summary>PS3.8 9.3.2.2: presentation context IDs are odd integers 1..255, so at most 128 contexts.</summary>
    public const int MaxPresentationContexts = 128;

    /// <summary>The smallest maximum PDU length we send with (DCMTK's lower bound for --max-pdu); smaller announced values are raised to it when fragmenting would be absurd.</summary>
    public const int MinMaxPduLength = 4096;

    /// <summary>PS3.5 9.1: a UID is at most 64 characters.</summary>
    public const int MaxUidLength = 64;
}
