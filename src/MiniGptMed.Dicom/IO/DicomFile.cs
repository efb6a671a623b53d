using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.IO;

/// <summary>A Part 10 file: File Meta Information and the data set (PS3.10 7).</summary>
public sealed class DicomFile(DicomDataset fileMetaInformation, DicomDataset dataset, DicomTransferSyntax transferSyntax)
{
    public DicomDataset FileMetaInformation { get; } = fileMetaInformation;

    public DicomDataset Dataset { get; } = dataset;

    /// <summary>The encoding the data set was read in (or is to be written in).</summary>
    public DicomTransferSyntax TransferSyntax { get; set; } = transferSyntax;

    /// <summary>Where the file was read from; large values may still be read from there on demand.</summary>
    public string? Path { get; init; }

    /// <summary>Whether the file had the 128-byte preamble and "DICM" (PS3.10 7.1).</summary>
    public bool HadPreamble { get; init; }

    /// <summary>Whether the file had a File Meta Information group.</summary>
    public bool HadFileMetaInformation { get; init; }

    /// <summary>What the reader accepted although the standard forbids it (odd lengths, a mis-declared VR encoding).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public static DicomFile Open(string path, DicomReaderOptions? options = null) => DicomFileReader.Read(path, options);

    public void Save(string path, DicomTransferSyntax? transferSyntax = null) => DicomFileWriter.Write(path, this, transferSyntax);

    public void Save(Stream stream, DicomTransferSyntax? transferSyntax = null) => DicomFileWriter.Write(stream, this, transferSyntax);
}
