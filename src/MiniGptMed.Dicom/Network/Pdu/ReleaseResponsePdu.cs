namespace MiniGptMed.Dicom.Network.Pdu;

/// <summary>
/// A-RELEASE-RP, PS3.8 9.3.7.
/// <code>
/// byte 1     PDU-type 06H
/// byte 2     reserved
/// bytes 3-6  PDU-length = 4
/// bytes 7-10 reserved
/// </code>
/// </summary>
public sealed class ReleaseResponsePdu : DicomPdu
{
    public static readonly ReleaseResponsePdu Instance = new();

    private const int ReservedLength = 4;

    public override PduType Type => PduType.ReleaseResponse;

    public override int BodyLength => ReservedLength;

    internal override void WriteBody(ref PduSpanWriter writer) => writer.Zeros(ReservedLength);
}
