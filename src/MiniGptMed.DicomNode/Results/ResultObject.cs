using MiniGptMed.Dicom.Composition;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;

namespace MiniGptMed.DicomNode.Results;

/// <summary>One DICOM object an analysis produced, before it is written: what it is, for which source series, its data set.</summary>
internal sealed record ResultObject(ResultKind Kind, DerivedObjectIdentity Identity, string? SourceSeriesUid, DicomDataset Dataset)
{
    /// <summary>Named by kind and SOP Instance UID: the same analysis gives the same names, other analyses never collide.</summary>
    public string FileName => $"{Kind}_{Identity.SopInstanceUid}.dcm";

    /// <summary>Part 10, Explicit VR Little Endian (every SCU and PACS accepts it; SC pixels are native RGB).</summary>
    public void Save(Stream stream) =>
        new DicomFile(new DicomDataset(), Dataset, DicomTransferSyntax.ExplicitVRLittleEndian).Save(stream);
}

/// <summary>An object written to disk.</summary>
internal sealed record WrittenObject(ResultObject Object, string Path);
