namespace MiniGptMed.Dicom.Network.Pdu;

/// <summary>
/// A-RELEASE-RQ, PS3.8 9.3.6.
/// <code>
/// byte 1     PDU-type 05H
/// byte 2     reserved
/// bytes 3-6  PDU-length = 4
/// bytes 7-10 reserved
/// </code>
/// </summary>
public sealed class ReleaseRequestPdu : DicomPdu
{
    public static readonly ReleaseRequestPdu Instance = new();

    private const int ReservedLength = 4;

    public override PduType Type => PduType.ReleaseRequest;

    public override int BodyLength => ReservedLength;

    internal override void WriteBody(ref PduSpanWriter writer) => writer.Zeros(ReservedLength);
}
