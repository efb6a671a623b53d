using System.Globalization;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;

namespace MiniGptMed.Dicom.Tests.Composition;

/// <summary>
/// Originals that derived objects are made from, written by the toolkit as small valid images of the kinds the
/// node meets: DX radiographs in both polarities, a signed CT slice with a rescale, a multi-frame image, an RGB
/// image and a non-square image with non-square pixels. Their pixels are a smooth ramp with a bright disc, so
/// that any window shows structure.
/// </summary>
public static class DerivedObjectSources
{
    public const string StudyUid = "2.25.111111111111111111111111111111111111";

    public enum Kind
    {
        DxMonochrome2,
        DxMonochrome1,
        CtSigned,
        MultiFrame,
        Rgb,
        NonSquare,
    }

    public static IEnumerable<object[]> AllKinds() => Enum.GetValues<Kind>().Select(k => new object[] { k });

    public static IEnumerable<object[]> GrayscaleKinds() => Enum.GetValues<Kind>().Where(k => k != Kind.Rgb).Select(k => new object[] { k });

    public static DicomDataset Create(Kind kind)
    {
        var (sopClass, modality, rows, columns, frames) = kind switch
        {
            Kind.DxMonochrome2 or Kind.DxMonochrome1 => ("1.2.840.10008.5.1.4.1.1.1.1", "DX", 250, 300, 1),
            Kind.CtSigned => ("1.2.840.10008.5.1.4.1.1.2", "CT", 128, 128, 1),
            Kind.MultiFrame => ("1.2.840.10008.5.1.4.1.1.7.3", "OT", 64, 80, 3),
            Kind.Rgb => ("1.2.840.10008.5.1.4.1.1.7", "OT", 120, 160, 1),
            _ => ("1.2.840.10008.5.1.4.1.1.7", "OT", 100, 240, 1),
        };
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 100");
        ds.AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, sopClass);
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, "2.25." + (1000 + (int)kind).ToString(CultureInfo.InvariantCulture) + "1");
        ds.AddOrUpdate(DicomTags.StudyDate, DicomVR.DA, "20260110");
        ds.AddOrUpdate(DicomTags.StudyTime, DicomVR.TM, "101500");
        ds.AddOrUpdate(DicomTags.AccessionNumber, DicomVR.SH, "ACC42");
        ds.AddOrUpdate(DicomTags.Modality, DicomVR.CS, modality);
        ds.AddOrUpdate(DicomTags.Manufacturer, DicomVR.LO, "Test");
        ds.AddOrUpdate(DicomTags.ReferringPhysicianName, DicomVR.PN, string.Empty);
        ds.AddOrUpdate(DicomTags.PatientName, DicomVR.PN, "Müller^Jürgen");
        ds.AddOrUpdate(DicomTags.PatientID, DicomVR.LO, "P42");
        ds.AddOrUpdate(DicomTags.PatientBirthDate, DicomVR.DA, "19600101");
        ds.AddOrUpdate(DicomTags.PatientSex, DicomVR.CS, "M");
        ds.AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, StudyUid);
        ds.AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, "2.25." + (2000 + (int)kind).ToString(CultureInfo.InvariantCulture) + "2");
        ds.AddOrUpdate(DicomTags.StudyID, DicomVR.SH, "1");
        ds.AddOrUpdate(DicomTags.SeriesNumber, DicomVR.IS, "1");
        ds.AddOrUpdate(DicomTags.InstanceNumber, DicomVR.IS, "1");
        ds.AddOrUpdate(DicomTags.PatientOrientation, DicomVR.CS, "L", "F");
        ds.AddOrUpdate(DicomTags.Rows, DicomVR.US, (ushort)rows);
        ds.AddOrUpdate(DicomTags.Columns, DicomVR.US, (ushort)columns);
        if (frames > 1)
        {
            ds.AddOrUpdate(DicomTags.NumberOfFrames, DicomVR.IS, frames.ToString(CultureInfo.InvariantCulture));
            ds.AddOrUpdate(DicomTags.FrameIncrementPointer, DicomVR.AT, DicomTags.FrameTime);
            ds.AddOrUpdate(DicomTags.FrameTime, DicomVR.DS, 100.0);
        }

        if (kind == Kind.Rgb)
        {
            ds.AddOrUpdate(DicomTags.SamplesPerPixel, DicomVR.US, (ushort)3);
            ds.AddOrUpdate(DicomTags.PhotometricInterpretation, DicomVR.CS, "RGB");
            ds.AddOrUpdate(DicomTags.PlanarConfiguration, DicomVR.US, (ushort)0);
            ds.AddOrUpdate(DicomTags.BitsAllocated, DicomVR.US, (ushort)8);
            ds.AddOrUpdate(DicomTags.BitsStored, DicomVR.US, (ushort)8);
            ds.AddOrUpdate(DicomTags.HighBit, DicomVR.US, (ushort)7);
            ds.AddOrUpdate(DicomTags.PixelRepresentation, DicomVR.US, (ushort)0);
            ds.AddOrUpdate(DicomTags.PixelData, DicomVR.OB, RgbPixels(rows, columns));
            return ds;
        }

        var signed = kind == Kind.CtSigned;
        ds.AddOrUpdate(DicomTags.SamplesPerPixel, DicomVR.US, (ushort)1);
        ds.AddOrUpdate(DicomTags.PhotometricInterpretation, DicomVR.CS, kind == Kind.DxMonochrome1 ? "MONOCHROME1" : "MONOCHROME2");
        ds.AddOrUpdate(DicomTags.BitsAllocated, DicomVR.US, (ushort)16);
        ds.AddOrUpdate(DicomTags.BitsStored, DicomVR.US, (ushort)12);
        ds.AddOrUpdate(DicomTags.HighBit, DicomVR.US, (ushort)11);
        ds.AddOrUpdate(DicomTags.PixelRepresentation, DicomVR.US, (ushort)(signed ? 1 : 0));
        switch (kind)
        {
            case Kind.CtSigned:
                ds.AddOrUpdate(DicomTags.RescaleIntercept, DicomVR.DS, -1024.0);
                ds.AddOrUpdate(DicomTags.RescaleSlope, DicomVR.DS, 1.0);
                ds.AddOrUpdate(DicomTags.PixelSpacing, DicomVR.DS, 0.7, 0.7);
                ds.AddOrUpdate(DicomTags.ImageType, DicomVR.CS, "ORIGINAL", "PRIMARY", "AXIAL");
                break;
            case Kind.DxMonochrome1 or Kind.DxMonochrome2:
                ds.AddOrUpdate(DicomTags.PixelSpacing, DicomVR.DS, 0.4, 0.4);
                break;
            case Kind.NonSquare:
                ds.AddOrUpdate(DicomTags.PixelSpacing, DicomVR.DS, 0.8, 0.5);
                break;
        }

        ds.AddOrUpdate(DicomTags.WindowCenter, DicomVR.DS, signed ? 40.0 : 2048.0);
        ds.AddOrUpdate(DicomTags.WindowWidth, DicomVR.DS, signed ? 400.0 : 4096.0);
        ds.AddOrUpdate(DicomTags.PixelData, DicomVR.OW, GreyPixels(rows, columns, frames, signed));
        return ds;
    }

    public static string Save(DicomDataset dataset, string path)
    {
        new DicomFile(new DicomDataset(), dataset, DicomTransferSyntax.ExplicitVRLittleEndian).Save(path);
        return path;
    }

    private static byte[] GreyPixels(int rows, int columns, int frames, bool signed)
    {
        var bytes = new byte[rows * columns * frames * 2];
        for (var f = 0; f < frames; f++)
        {
            for (var y = 0; y < rows; y++)
            {
                for (var x = 0; x < columns; x++)
                {
                    var dx = x - (columns / 2.0);
                    var dy = y - (rows / 2.0);
                    var disc = (dx * dx) + (dy * dy) < Math.Min(rows, columns) * Math.Min(rows, columns) / 16.0 ? 1500 : 0;
                    // CT: stored -1000..1500 around the -1024 intercept (air to bone); others 0..4095.
                    var value = signed ? -1000 + (x * 1500 / columns) + disc : (x * 2500 / columns) + disc + (f * 100);
                    var stored = (short)Math.Clamp(value, signed ? -2048 : 0, signed ? 2047 : 4095);
                    BitConverter.TryWriteBytes(bytes.AsSpan(2 * ((f * rows * columns) + (y * columns) + x)), stored);
                }
            }
        }

        return bytes;
    }

    private static byte[] RgbPixels(int rows, int columns)
    {
        var bytes = new byte[rows * columns * 3];
        for (var y = 0; y < rows; y++)
        {
            for (var x = 0; x < columns; x++)
            {
                var i = 3 * ((y * columns) + x);
                bytes[i] = (byte)(x * 255 / columns);
                bytes[i + 1] = (byte)(y * 255 / rows);
                bytes[i + 2] = 96;
            }
        }

        return bytes;
    }
}
