using System.Buffers;

namespace MiniGptMed.Dicom.Network.Pdu;

/// <summary>
/// One Presentation Data Value item of P-DATA-TF, PS3.8 9.3.5.1 and the message control header of PS3.8 E.2.
/// <code>
/// bytes 1-4  item-length (PDV length: context ID + control header + fragment)
/// byte 5     presentation-context-ID
/// byte 6     message control header: bit 0 = 1 command / 0 data set, bit 1 = 1 last fragment
/// bytes 7-   fragment
/// </code>
/// <see cref="Fragment"/> is a slice of the receive buffer, valid only until the reader advances past it.
/// </summary>
public readonly record struct PresentationDataValue(byte PresentationContextId, bool IsCommand, bool IsLast, ReadOnlySequence<byte> Fragment)
{
    public const int ItemLengthLength = 4;
    public const int ContextIdLength = 1;
    public const int ControlHeaderLength = 1;

    /// <summary>The bytes a PDV adds around its fragment.</summary>
    public const int Overhead = ItemLengthLength + ContextIdLength + ControlHeaderLength;

    public int ItemLength => ItemLengthLength + ContextIdLength + ControlHeaderLength + checked((int)Fragment.Length);

    public byte ControlHeader => (byte)((IsCommand ? 1 : 0) | (IsLast ? 2 : 0));
}
