using System.Buffers;
using System.Diagnostics;

namespace MiniGptMed.Dicom.Network.Pdu;

/// <summary>One PS3.8 Upper Layer PDU. Its length is computed from its fields, never stored.</summary>
public abstract class DicomPdu
{
    public abstract PduType Type { get; }

    /// <summary>The value of the PDU-length field: everything after the 6-byte header.</summary>
    public abstract int BodyLength { get; }

    public int TotalLength => PduLimits.HeaderLength + BodyLength;

    public void WriteTo(IBufferWriter<byte> output)
    {
        var total = TotalLength;
        var writer = new PduSpanWriter(output.GetSpan(total)[..total]);
        writer.PduHeader(Type, BodyLength);
        WriteBody(ref writer);
        Debug.Assert(writer.Position == total, $"{GetType().Name} wrote {writer.Position} bytes but declared {total}.");
        output.Advance(total);
    }

    public byte[] ToArray()
    {
        var buffer = new ArrayBufferWriter<byte>(TotalLength);
        WriteTo(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    internal abstract void WriteBody(ref PduSpanWriter writer);
}
