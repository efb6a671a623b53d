using MiniGptMed.Dicom.Composition;
using MiniGptMed.Dicom.Data;

namespace MiniGptMed.DicomNode.Results;

/// <summary>The header of a derived image or presentation state (General Series), from the toolkit's common header.</summary>
internal static class DerivedHeaders
{
    /// <summary>
    /// <see cref="DerivedObjectHeader.Create"/>, plus Laterality (PS3.3 C.7.3.1, Type 2C: required for paired body
    /// parts): the object shows or points at the source's body part, so it says what the source's series says, or
    /// nothing (empty, which Type 2 allows) when the source does not say.
    /// </summary>
    public static DicomDataset ForSeries(DicomDataset source, DerivedObjectIdentity identity, ResultsContext context)
    {
        var header = DerivedObjectHeader.Create(source, identity, context.Device, context.CreatedAt);
        header.AddOrUpdate(DicomTags.Laterality, DicomVR.CS, source.GetString(DicomTags.Laterality)?.Trim() ?? string.Empty);
        return header;
    }
}
