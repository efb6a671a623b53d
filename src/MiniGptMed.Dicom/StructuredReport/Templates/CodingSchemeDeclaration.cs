using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.StructuredReport.Templates;

/// <summary>
/// A coding scheme declared in the Coding Scheme Identification Sequence (0008,0110) (PS3.3 C.12.1.1.2): what
/// a private designator (beginning with "99", PS3.16 8.2) stands for, so that a reader can tell whose codes they are.
/// </summary>
public sealed record CodingSchemeDeclaration(string Designator, string Name, string? ResponsibleOrganization, string? Version)
{
    /// <summary>Private designators begin with "99" (PS3.16 8.2).</summary>
    public bool IsPrivate => Designator.StartsWith("99", StringComparison.Ordinal);

    internal void WriteTo(DicomDataset item)
    {
        if (string.IsNullOrEmpty(Designator) || Designator.Length > 16 || string.IsNullOrWhiteSpace(Name) || Name.Length > 1024)
        {
            throw new ArgumentException($"Coding scheme '{Designator}': a designator of at most 16 characters and a name (ST) are required (PS3.3 C.12.1.1.2).");
        }

        item.AddOrUpdate(DicomTags.CodingSchemeDesignator, DicomVR.SH, Designator);
        if (!string.IsNullOrEmpty(Version))
        {
            item.AddOrUpdate(DicomTags.CodingSchemeVersion, DicomVR.SH, Version);
        }

        SrDatasets.SetText(item, DicomTags.CodingSchemeName, DicomVR.ST, Name);
        if (!string.IsNullOrEmpty(ResponsibleOrganization))
        {
            SrDatasets.SetText(item, DicomTags.CodingSchemeResponsibleOrganization, DicomVR.ST, ResponsibleOrganization);
        }
    }
}
