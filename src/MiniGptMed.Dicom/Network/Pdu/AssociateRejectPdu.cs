namespace MiniGptMed.Dicom.Network.Pdu;

/// <summary>
/// A-ASSOCIATE-RJ, PS3.8 9.3.4.
/// <code>
/// byte 1     PDU-type 03H
/// byte 2     reserved
/// bytes 3-6  PDU-length = 4
/// byte 7     reserved
/// byte 8     result: 1 rejected-permanent, 2 rejected-transient
/// byte 9     source: 1 service-user, 2 service-provider (ACSE), 3 service-provider (presentation)
/// byte 10    reason/diag (depends on the source)
/// </code>
/// </summary>
public sealed class AssociateRejectPdu(RejectResult result, RejectSource source, RejectReason reason) : DicomPdu
{
    private const int ReservedLength = 1;
    private const int ResultLength = 1;
    private const int SourceLength = 1;
    private const int ReasonLength = 1;

    public RejectResult Result { get; } = result;

    public RejectSource Source { get; } = source;

    public RejectReason Reason { get; } = reason;

    public override PduType Type => PduType.AssociateReject;

    public override int BodyLength => ReservedLength + ResultLength + SourceLength + ReasonLength;

    internal override void WriteBody(ref PduSpanWriter writer)
    {
        writer.Zeros(ReservedLength);
        writer.Byte((byte)Result);
        writer.Byte((byte)Source);
        writer.Byte((byte)Reason);
    }

    internal static AssociateRejectPdu Parse(ref PduItemReader reader)
    {
        reader.Skip(ReservedLength, "A-ASSOCIATE-RJ reserved byte");
        var result = reader.Byte("A-ASSOCIATE-RJ result");
        var source = reader.Byte("A-ASSOCIATE-RJ source");
        var reason = reader.Byte("A-ASSOCIATE-RJ reason");
        if (result is not (1 or 2) || source is not (1 or 2 or 3))
        {
            throw DicomProtocolException.Invalid($"A-ASSOCIATE-RJ has result {result} / source {source}; PS3.8 9.3.4 allows result 1-2 and source 1-3.");
        }

        return new AssociateRejectPdu((RejectResult)result, (RejectSource)source, (RejectReason)reason);
    }

    public override string ToString() => $"A-ASSOCIATE-RJ result={Result} source={Source} reason={(byte)Reason}";
}
