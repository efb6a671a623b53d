using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;
using MiniGptMed.DicomNode.Export;
using MiniGptMed.DicomNode.Worklist.Triage;

namespace MiniGptMed.DicomNode.Worklist.Notices;

/// <summary>
/// A notice from the group's triage row and the SR the analysis wrote (results/&lt;study&gt;/SR_*.dcm), which carries
/// the source's Patient and General Study modules: the RIS needs the patient and the order to file the result.
/// </summary>
internal static class NoticeBuilder
{
    public static Notice Build(StudyTriage triage, string studyInstanceUid, string dataDirectory)
    {
        var sr = ResultFolders.Files(ResultFolders.For(dataDirectory, studyInstanceUid))
            .Where(f => Path.GetFileName(f).StartsWith("SR_", StringComparison.Ordinal))
            .Select(f => DicomFile.Open(f).Dataset)
            .FirstOrDefault();
        string? Get(DicomTag tag) => sr?.GetString(tag) is { Length: > 0 } v ? v.Trim() : null;
        return new Notice
        {
            CalledAe = triage.CalledAe,
            GroupUid = triage.GroupUid,
            StudyInstanceUid = studyInstanceUid,
            Version = triage.Version,
            AccessionNumber = Get(DicomTags.AccessionNumber),
            PatientId = Get(DicomTags.PatientID),
            IssuerOfPatientId = Get(DicomTags.IssuerOfPatientID),
            PatientName = Get(DicomTags.PatientName),
            PatientBirthDate = Get(DicomTags.PatientBirthDate),
            PatientSex = Get(DicomTags.PatientSex),
            StudyDescription = Get(DicomTags.StudyDescription),
            Modality = triage.Modality,
            Priority = triage.Priority,
            Summary = triage.Summary,
            Narrative = triage.Content.Narrative,
            Findings = triage.Content.Findings,
            AnalysedAt = triage.DecidedAt,
            ReportUid = Get(DicomTags.SOPInstanceUID),
        };
    }
}
