using System.Text;

namespace MiniGptMed.Dicom.Data;

// Placeholder until the full Specific Character Set implementation (ISO 2022 extensions) lands:
// default repertoire, ISO_IR 100 and ISO_IR 192 only.
public sealed class DicomCharacterSet
{
    private readonly Encoding _encoding;

    private DicomCharacterSet(Encoding encoding) => _encoding = encoding;

    public static DicomCharacterSet Default { get; } = new(Encoding.Latin1);

    public static DicomCharacterSet FromTerms(IReadOnlyList<string> terms) =>
        terms.Count > 0 && terms[0] == "ISO_IR 192" ? new DicomCharacterSet(Encoding.UTF8) : Default;

    public string Decode(ReadOnlySpan<byte> bytes, DicomVR vr) =>
        vr.UsesSpecificCharacterSet ? _encoding.GetString(bytes) : Encoding.Latin1.GetString(bytes);

    public byte[] Encode(string text, DicomVR vr) =>
        vr.UsesSpecificCharacterSet ? _encoding.GetBytes(text) : Encoding.Latin1.GetBytes(text);
}
