namespace MiniGptMed.Dicom.Data;

/// <summary>A value asked for is missing or cannot be converted to the type asked for.</summary>
public sealed class DicomDataException(string message, DicomTag tag) : Exception(message)
{
    public DicomTag Tag { get; } = tag;
}
