namespace MiniGptMed.DicomNode.Analysis;

/// <summary>
/// An input that cannot be analysed (not DICOM, no pixel data, a photometric interpretation the renderer does not
/// know, an image of another study...). The message names the file; the CLI prints it and exits 1.
/// </summary>
internal sealed class AnalysisInputException : Exception
{
    public AnalysisInputException(string path, string problem, Exception? innerException = null)
        : base($"{path}: {problem}", innerException)
    {
        Path = path;
    }

    public string Path { get; }
}
