using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.Imaging;
using MiniGptMed.Dicom.Tests.Support;

namespace MiniGptMed.Dicom.Tests.StructuredReport;

/// <summary>Headers of analysed images, as the report builders need them (no pixel data: the SR never reads it).</summary>
internal static class SourceImages
{
    public const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";
    public const string DigitalXRayForPresentation = "1.2.840.10008.5.1.4.1.1.1.1";
    public const string EnhancedCtImageStorage = "1.2.840.10008.5.1.4.1.1.2.1";

    public static DicomDataset CtSlice(string? characterSet = null, string patientName = "Doe^Jane")
    {
        var dataset = Common(CtImageStorage, "CT", characterSet, patientName);
        dataset.AddOrUpdate(DicomTags.FrameOfReferenceUID, DicomVR.UI, "1.2.826.0.1.3680043.10.999.4");
        dataset.AddOrUpdate(DicomTags.Rows, DicomVR.US, (ushort)64);
        dataset.AddOrUpdate(DicomTags.Columns, DicomVR.US, (ushort)48);
        dataset.AddOrUpdate(DicomTags.PixelSpacing, DicomVR.DS, "0.75", "0.5");
        return dataset;
    }

    public static DicomDataset ChestRadiographWithProcedureCode()
    {
        var dataset = Common(DigitalXRayForPresentation, "DX", null, "Roe^Richard");
        dataset.AddOrUpdate(DicomTags.Rows, DicomVR.US, (ushort)300);
        dataset.AddOrUpdate(DicomTags.Columns, DicomVR.US, (ushort)250);
        dataset.AddOrUpdate(DicomTags.ImagerPixelSpacing, DicomVR.DS, "0.139", "0.139");
        var procedure = new DicomDataset();
        dataset.AddOrUpdate(new DicomSequence(DicomTags.ProcedureCodeSequence, [procedure]));
        procedure.AddOrUpdate(DicomTags.CodeValue, DicomVR.SH, "36643-5");
        procedure.AddOrUpdate(DicomTags.CodingSchemeDesignator, DicomVR.SH, "LN");
        procedure.AddOrUpdate(DicomTags.CodeMeaning, DicomVR.LO, "XR Chest 2V");
        return dataset;
    }

    public static DicomDataset MultiFrameCt(int frames)
    {
        var dataset = Common(EnhancedCtImageStorage, "CT", null, "Doe^John");
        dataset.AddOrUpdate(DicomTags.FrameOfReferenceUID, DicomVR.UI, "1.2.826.0.1.3680043.10.999.5");
        dataset.AddOrUpdate(DicomTags.NumberOfFrames, DicomVR.IS, frames.ToString(System.Globalization.CultureInfo.InvariantCulture));
        dataset.AddOrUpdate(DicomTags.Rows, DicomVR.US, (ushort)32);
        dataset.AddOrUpdate(DicomTags.Columns, DicomVR.US, (ushort)32);
        return dataset;
    }

    /// <summary>pydicom's chrH31.dcm: a Japanese name in ISO 2022 IR 87, written by a tool other than ours.</summary>
    public static DicomDataset JapaneseNameInIso2022Ir87()
    {
        var file = MiniGptMed.Dicom.IO.DicomFile.Open(Path.Combine(TestPaths.PydicomCharsetFiles, "chrH31.dcm"));
        var dataset = file.Dataset;
        dataset.AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, CtImageStorage);
        if (!dataset.Contains(DicomTags.SOPInstanceUID))
        {
            dataset.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, DicomUidGenerator.Generate());
        }

        if (!dataset.Contains(DicomTags.SeriesInstanceUID))
        {
            dataset.AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, DicomUidGenerator.Generate());
        }

        dataset.AddOrUpdate(DicomTags.Modality, DicomVR.CS, "CT");
        dataset.AddOrUpdate(DicomTags.Rows, DicomVR.US, (ushort)64);
        dataset.AddOrUpdate(DicomTags.Columns, DicomVR.US, (ushort)64);
        return dataset;
    }

    public static SourceReference Reference(DicomDataset dataset, int frame = 1)
    {
        var spacing = dataset.GetValues<double>(DicomTags.PixelSpacing) is [var row, var column]
            ? new PixelSpacing(row, column)
            : dataset.GetValues<double>(DicomTags.ImagerPixelSpacing) is [var r, var c] ? new PixelSpacing(r, c) : (PixelSpacing?)null;
        return new SourceReference(
            dataset.GetString(DicomTags.SOPClassUID)!,
            dataset.GetString(DicomTags.SOPInstanceUID)!,
            frame,
            dataset.GetValue<int>(DicomTags.Rows),
            dataset.GetValue<int>(DicomTags.Columns),
            spacing);
    }

    private static DicomDataset Common(string sopClass, string modality, string? characterSet, string patientName)
    {
        var dataset = new DicomDataset();
        if (characterSet is not null)
        {
            dataset.AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, characterSet);
        }

        dataset.AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, sopClass);
        dataset.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, DicomUidGenerator.Generate());
        dataset.AddOrUpdate(DicomTags.StudyDate, DicomVR.DA, "20260102");
        dataset.AddOrUpdate(DicomTags.StudyTime, DicomVR.TM, "101500");
        dataset.AddOrUpdate(DicomTags.AccessionNumber, DicomVR.SH, "ACC-42");
        dataset.AddOrUpdate(DicomTags.Modality, DicomVR.CS, modality);
        dataset.AddOrUpdate(DicomTags.ReferringPhysicianName, DicomVR.PN, "Who^Doctor");
        dataset.AddOrUpdate(DicomTags.PatientName, DicomVR.PN, patientName);
        dataset.AddOrUpdate(DicomTags.PatientID, DicomVR.LO, "PID-7");
        dataset.AddOrUpdate(DicomTags.PatientBirthDate, DicomVR.DA, "19700101");
        dataset.AddOrUpdate(DicomTags.PatientSex, DicomVR.CS, "F");
        dataset.AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, "1.2.826.0.1.3680043.10.999.1");
        dataset.AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, "1.2.826.0.1.3680043.10.999.2");
        dataset.AddOrUpdate(DicomTags.StudyID, DicomVR.SH, "S1");
        return dataset;
    }
}
