using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.Tests.Composition;

/// <summary>
/// A stand-in for what DerivedObjectHeader.Create returns, made by hand until it lands: Patient and General Study
/// copied from the original, a new series, General Equipment, SOP Common with the character set.
/// </summary>
internal static class DerivedHeader
{
    public static DicomDataset For(DicomDataset source, string sopClassUid, string modality, string seriesUid, string instanceUid)
    {
        var header = new DicomDataset();
        header.AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, source.GetString(DicomTags.SpecificCharacterSet) ?? "ISO_IR 100");
        header.AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, sopClassUid);
        header.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, instanceUid);
        header.AddOrUpdate(DicomTags.InstanceCreationDate, DicomVR.DA, "20260202");
        header.AddOrUpdate(DicomTags.InstanceCreationTime, DicomVR.TM, "020202");
        foreach (var tag in new[]
                 {
                     DicomTags.PatientName, DicomTags.PatientID, DicomTags.PatientBirthDate, DicomTags.PatientSex,
                     DicomTags.StudyInstanceUID, DicomTags.StudyDate, DicomTags.StudyTime, DicomTags.ReferringPhysicianName,
                     DicomTags.StudyID, DicomTags.AccessionNumber,
                 })
        {
            if (source.GetElement(tag) is { } element)
            {
                header.AddOrUpdate(element);
            }
        }

        header.AddOrUpdate(DicomTags.Modality, DicomVR.CS, modality);
        header.AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, seriesUid);
        // PS3.3 C.7.3.1: Laterality is 2C, and dciodvfy wants it present (empty: an unpaired or unknown part).
        header.AddOrUpdate(DicomTags.Laterality, DicomVR.CS, Array.Empty<string>());
        header.AddOrUpdate(DicomTags.SeriesNumber, DicomVR.IS, "901");
        header.AddOrUpdate(DicomTags.SeriesDescription, DicomVR.LO, "AI-generated, not verified");
        header.AddOrUpdate(DicomTags.InstanceNumber, DicomVR.IS, "1");
        header.AddOrUpdate(DicomTags.Manufacturer, DicomVR.LO, "MiniGPT-Med DICOM Node");
        header.AddOrUpdate(DicomTags.ManufacturerModelName, DicomVR.LO, "minigptmed");
        header.AddOrUpdate(DicomTags.SoftwareVersions, DicomVR.LO, "0.1");
        return header;
    }
}
