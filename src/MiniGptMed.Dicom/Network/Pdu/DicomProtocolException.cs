namespace MiniGptMed.Dicom.Network.Pdu;

/// <summary>
/// The one fatal error of an association: the peer broke PS3.8 (or a limit of ours), and the association
/// ends with an A-ABORT carrying <see cref="Source"/> and <see cref="Reason"/>.
/// </summary>
public sealed class DicomProtocolException : Exception
{
    public DicomProtocolException(AbortSource source, AbortReason reason, string message)
        : base(message)
    {
        Source = source;
        Reason = reason;
    }

    public DicomProtocolException(AbortSource source, AbortReason reason, string message, Exception inner)
        : base(message, inner)
    {
        Source = source;
        Reason = reason;
    }

    public DicomProtocolException()
        : this(AbortSource.ServiceProvider, AbortReason.NotSpecified, "DICOM protocol error.")
    {
    }

    public DicomProtocolException(string message)
        : this(AbortSource.ServiceProvider, AbortReason.NotSpecified, message)
    {
    }

    public DicomProtocolException(string message, Exception inner)
        : this(AbortSource.ServiceProvider, AbortReason.NotSpecified, message, inner)
    {
    }

    public new AbortSource Source { get; }

    public AbortReason Reason { get; }

    internal static DicomProtocolException Invalid(string message) =>
        new(AbortSource.ServiceProvider, AbortReason.InvalidPduParameterValue, message);
}
