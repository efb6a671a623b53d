using System.Globalization;
using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.Network.Dimse;

/// <summary>
/// What a node keeps of a stored instance beyond its SOP identity (PS3.3 C.7.2.1 General Study, C.7.3.1 General
/// Series, C.7.6.1 General Image), read from the parse the store makes anyway.
/// </summary>
public sealed record InstanceFacts(
    string? StudyInstanceUid,
    string? SeriesInstanceUid,
    string? Modality,
    string? BodyPartExamined,
    string? SeriesDescription,
    int? SeriesNumber,
    int? InstanceNumber)
{
    public static InstanceFacts From(DicomDataset dataset) => new(
        dataset.GetString(DicomTags.StudyInstanceUID),
        dataset.GetString(DicomTags.SeriesInstanceUID),
        dataset.GetString(DicomTags.Modality),
        dataset.GetString(DicomTags.BodyPartExamined),
        dataset.GetString(DicomTags.SeriesDescription),
        Integer(dataset, DicomTags.SeriesNumber),
        Integer(dataset, DicomTags.InstanceNumber));

    /// <summary>True when both UIDs can name folders of the layout (<see cref="InstanceLayout.IsSafeUid"/>).</summary>
    public bool HasLayoutUids => InstanceLayout.IsSafeUid(StudyInstanceUid) && InstanceLayout.IsSafeUid(SeriesInstanceUid);

    /// <summary>PS3.5 6.2 IS: a bad value is no number (the catalogue keeps null), never an error that refuses the instance.</summary>
    private static int? Integer(DicomDataset dataset, DicomTag tag)
    {
        try
        {
            return int.TryParse(dataset.GetString(tag)?.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;
        }
        catch (Exception ex) when (ex is DicomDataException or FormatException)
        {
            return null;
        }
    }
}
