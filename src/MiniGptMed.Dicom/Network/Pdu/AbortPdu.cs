namespace MiniGptMed.Dicom.Network.Pdu;

/// <summary>
/// A-ABORT, PS3.8 9.3.8.
/// <code>
/// byte 1     PDU-type 07H
/// byte 2     reserved
/// bytes 3-6  PDU-length = 4
/// byte 7     reserved
/// byte 8     reserved
/// byte 9     source: 0 service-user, 2 service-provider
/// byte 10    reason/diag (only significant when the source is 2)
/// </code>
/// </summary>
public sealed class AbortPdu(AbortSource source, AbortReason reason) : DicomPdu
{
    private const int ReservedLength = 2;
    private const int SourceLength = 1;
    private const int ReasonLength = 1;

    public AbortSource Source { get; } = source;

    public AbortReason Reason { get; } = reason;

    public override PduType Type => PduType.Abort;

    public override int BodyLength => ReservedLength + SourceLength + ReasonLength;

    internal override void WriteBody(ref PduSpanWriter writer)
    {
        writer.Zeros(ReservedLength);
        writer.Byte((byte)Source);
        writer.Byte((byte)Reason);
    }

    internal static AbortPdu Parse(ref PduItemReader reader)
    {
        reader.Skip(ReservedLength, "A-ABORT reserved bytes");
        var source = reader.Byte("A-ABORT source");
        var reason = reader.Byte("A-ABORT reason");
        // PS3.8 9.3.8: 1 is reserved; tolerated (the association ends either way) but normalised.
        return new AbortPdu(source == 0 ? AbortSource.ServiceUser : AbortSource.ServiceProvider, (AbortReason)reason);
    }

    public override string ToString() => $"A-ABORT source={Source} reason={Reason}";
}
