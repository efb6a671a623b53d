using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.IO;

/// <summary>The bytes are not a valid DICOM encoding: names the element and the byte offset where it went wrong.</summary>
public sealed class DicomFormatException : Exception
{
    public DicomFormatException(string message, DicomTag? tag, long offset, Exception? inner = null)
        : base(Compose(message, tag, offset), inner)
    {
        Tag = tag;
        Offset = offset;
    }

    public DicomTag? Tag { get; }

    public long Offset { get; }

    private static string Compose(string message, DicomTag? tag, long offset) =>
        tag is { } t ? $"{message} (element {t} at byte offset {offset})" : $"{message} (at byte offset {offset})";
}
