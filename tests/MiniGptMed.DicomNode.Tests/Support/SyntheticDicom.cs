using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;

namespace MiniGptMed.DicomNode.Tests.Support;

/// <summary>
/// Small DICOM sources written with the toolkit: a bright round blob on a dark background (what the bundled small
/// model was trained to find), as a DX radiograph, a CT series with positions and a rescale, a multi-frame image.
/// </summary>
internal static class SyntheticDicom
{
    public const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";
    public const string DxImageStorage = "1.2.840.10008.5.1.4.1.1.1.1";
    public const string MultiFrameGrayscaleWordSc = "1.2.840.10008.5.1.4.1.1.7.3";

    public sealed record Blob(double CenterX, double CenterY, double Radius);

    public static DicomDataset Header(string sopClass, string modality, string study, string series, string sop, int instanceNumber = 1)
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, sopClass);
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, sop);
        ds.AddOrUpdate(DicomTags.StudyDate, DicomVR.DA, "20260115");
        ds.AddOrUpdate(DicomTags.StudyTime, DicomVR.TM, "101500");
        ds.AddOrUpdate(DicomTags.AccessionNumber, DicomVR.SH, "ACC1");
        ds.AddOrUpdate(DicomTags.Modality, DicomVR.CS, modality);
        ds.AddOrUpdate(DicomTags.ReferringPhysicianName, DicomVR.PN, "");
        ds.AddOrUpdate(DicomTags.PatientName, DicomVR.PN, "Test^Patient");
        ds.AddOrUpdate(DicomTags.PatientID, DicomVR.LO, "PID1");
        ds.AddOrUpdate(DicomTags.PatientBirthDate, DicomVR.DA, "19700101");
        ds.AddOrUpdate(DicomTags.PatientSex, DicomVR.CS, "O");
        ds.AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, study);
        ds.AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, series);
        ds.AddOrUpdate(DicomTags.StudyID, DicomVR.SH, "1");
        ds.AddOrUpdate(DicomTags.SeriesNumber, DicomVR.IS, 1);
        ds.AddOrUpdate(DicomTags.InstanceNumber, DicomVR.IS, instanceNumber);
        return ds;
    }

    /// <summary>16-bit unsigned MONOCHROME2 pixels, 12 bits stored: background 200, blob 3500.</summary>
    public static ushort[] BlobPixels(int columns, int rows, Blob blob, ushort background = 200, ushort inside = 3500)
    {
        var pixels = new ushort[columns * rows];
        for (var y = 0; y < rows; y++)
        {
            for (var x = 0; x < columns; x++)
            {
                var dx = x + 0.5 - blob.CenterX;
                var dy = y + 0.5 - blob.CenterY;
                pixels[(y * columns) + x] = (dx * dx) + (dy * dy) < blob.Radius * blob.Radius ? inside : background;
            }
        }

        return pixels;
    }

    public static void SetPixels(DicomDataset ds, int columns, int rows, ushort[] pixels, int frames = 1, string photometric = "MONOCHROME2", bool signed = false)
    {
        ds.AddOrUpdate(DicomTags.SamplesPerPixel, DicomVR.US, (ushort)1);
        ds.AddOrUpdate(DicomTags.PhotometricInterpretation, DicomVR.CS, photometric);
        if (frames > 1)
        {
            ds.AddOrUpdate(DicomTags.NumberOfFrames, DicomVR.IS, frames);
        }

        ds.AddOrUpdate(DicomTags.Rows, DicomVR.US, (ushort)rows);
        ds.AddOrUpdate(DicomTags.Columns, DicomVR.US, (ushort)columns);
        ds.AddOrUpdate(DicomTags.BitsAllocated, DicomVR.US, (ushort)16);
        ds.AddOrUpdate(DicomTags.BitsStored, DicomVR.US, (ushort)12);
        ds.AddOrUpdate(DicomTags.HighBit, DicomVR.US, (ushort)11);
        ds.AddOrUpdate(DicomTags.PixelRepresentation, DicomVR.US, (ushort)(signed ? 1 : 0));
        var bytes = new byte[pixels.Length * 2];
        Buffer.BlockCopy(pixels, 0, bytes, 0, bytes.Length);
        ds.AddOrUpdate(DicomTags.PixelData, DicomVR.OW, bytes);
    }

    public static string Save(DicomDataset ds, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        new DicomFile(new DicomDataset(), ds, DicomTransferSyntax.ExplicitVRLittleEndian).Save(path);
        return path;
    }

    /// <summary>A DX radiograph (MONOCHROME2, Imager Pixel Spacing, its own window).</summary>
    public static string Radiograph(string path, int columns, int rows, Blob blob, string? study = null)
    {
        var ds = Header(DxImageStorage, "DX", study ?? NewUid(), NewUid(), NewUid());
        ds.AddOrUpdate(DicomTags.ImagerPixelSpacing, DicomVR.DS, 0.2, 0.2);
        ds.AddOrUpdate(DicomTags.WindowCenter, DicomVR.DS, 1850.0);
        ds.AddOrUpdate(DicomTags.WindowWidth, DicomVR.DS, 3300.0);
        SetPixels(ds, columns, rows, BlobPixels(columns, rows, blob));
        return Save(ds, path);
    }

    /// <summary>A CT series of <paramref name="slices"/> axial slices (written in reverse order of position), rescale -1024.</summary>
    public static IReadOnlyList<string> CtSeries(string folder, int slices, int columns, int rows, Blob blob, string? study = null, string? series = null)
    {
        study ??= NewUid();
        series ??= NewUid();
        var paths = new List<string>();
        for (var i = 0; i < slices; i++)
        {
            var ds = Header(CtImageStorage, "CT", study, series, NewUid(), slices - i);
            ds.AddOrUpdate(DicomTags.ImagePositionPatient, DicomVR.DS, -100.0, -100.0, 10.0 * (slices - 1 - i));
            ds.AddOrUpdate(DicomTags.ImageOrientationPatient, DicomVR.DS, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0);
            ds.AddOrUpdate(DicomTags.PixelSpacing, DicomVR.DS, 0.7, 0.7);
            ds.AddOrUpdate(DicomTags.ImageType, DicomVR.CS, "ORIGINAL", "PRIMARY", "AXIAL");
            ds.AddOrUpdate(DicomTags.FrameOfReferenceUID, DicomVR.UI, study + ".1");
            ds.AddOrUpdate(DicomTags.RescaleIntercept, DicomVR.DS, -1024.0);
            ds.AddOrUpdate(DicomTags.RescaleSlope, DicomVR.DS, 1.0);
            ds.AddOrUpdate(DicomTags.RescaleType, DicomVR.CS, "HU");
            // Lung-window contrast: air around (-1000 HU = 24), a soft-tissue blob (+100 HU = 1124).
            SetPixels(ds, columns, rows, BlobPixels(columns, rows, blob, 24, 1124));
            paths.Add(Save(ds, Path.Combine(folder, $"ct{i:D3}.dcm")));
        }

        return paths;
    }

    /// <summary>A multi-frame grayscale SC of <paramref name="frames"/> frames, the blob moving right by 2 pixels a frame.</summary>
    public static string MultiFrame(string path, int frames, int columns, int rows, Blob blob)
    {
        var ds = Header(MultiFrameGrayscaleWordSc, "OT", NewUid(), NewUid(), NewUid());
        var all = new List<ushort>();
        for (var f = 0; f < frames; f++)
        {
            all.AddRange(BlobPixels(columns, rows, blob with { CenterX = blob.CenterX + (2 * f) }));
        }

        SetPixels(ds, columns, rows, [.. all], frames);
        return Save(ds, path);
    }

    public static string NewUid() => DicomUidGenerator.Generate();
}
