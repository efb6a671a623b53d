namespace MiniGptMed.Dicom.Imaging;

/// <summary>
/// Pixel data that cannot be turned into an image: names the problem and, where known, the SOP Instance UID,
/// so that an admin can find the offending instance.
/// </summary>
public sealed class DicomImagingException : Exception
{
    public DicomImagingException(string message, string? sopInstanceUid = null, Exception? innerException = null)
        : base(Format(message, sopInstanceUid), innerException)
    {
        SopInstanceUid = sopInstanceUid;
    }

    public DicomImagingException()
        : base("Pixel data cannot be decoded.")
    {
    }

    public DicomImagingException(string message)
        : this(message, null, null)
    {
    }

    public DicomImagingException(string message, Exception innerException)
        : this(message, null, innerException)
    {
    }

    /// <summary>The SOP Instance UID of the image, when the caller knew it.</summary>
    public string? SopInstanceUid { get; }

    private static string Format(string message, string? sopInstanceUid) =>
        string.IsNullOrEmpty(sopInstanceUid) ? message : $"{message} (SOP Instance UID {sopInstanceUid})";
}
