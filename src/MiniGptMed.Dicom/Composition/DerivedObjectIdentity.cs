namespace MiniGptMed.Dicom.Composition;

/// <summary>
/// Who a new object is within the source's study: its SOP class and instance, and the new series it starts
/// (PS3.3 C.7.3.1 General Series, C.12.1 SOP Common). The caller derives the UIDs (e.g. deterministically from the
/// source study and the analysis) so that writing the same result twice gives the same objects.
/// </summary>
public sealed record DerivedObjectIdentity(
    string SopClassUid,
    string SopInstanceUid,
    string SeriesInstanceUid,
    int SeriesNumber,
    int InstanceNumber,
    string Modality,
    string SeriesDescription);
