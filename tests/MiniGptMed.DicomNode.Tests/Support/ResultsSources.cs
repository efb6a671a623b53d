using MiniGptMed.Dicom.Data;

namespace MiniGptMed.DicomNode.Tests.Support;

/// <summary>
/// The sources issue #9 asks the results to be validated from, written with the toolkit: a DX radiograph in
/// MONOCHROME2 and MONOCHROME1, a signed CT slice with a rescale, a multi-frame image, a non-square image with
/// non-square pixel spacing, a patient name in ISO 2022 IR 87 (Japanese).
/// </summary>
internal static class ResultsSources
{
    public static readonly string[] Names = ["dx-mono2", "dx-mono1", "ct-signed", "multiframe", "nonsquare", "japanese"];

    /// <summary>The Japanese name of PS3.5 H.3.1 (Yamada Tarou), alphabetic, ideographic and phonetic groups.</summary>
    public const string JapaneseName = "Yamada^Tarou=山田^太郎=やまだ^たろう";

    /// <summary>
    /// Images are 200x160 (240x128 non-square) so that a box at 20..60 % of the width and 30..60 % of the height, its
    /// label above it and the painter's banner along the bottom do not overlap.
    /// </summary>
    /// <remarks>Writes source <paramref name="name"/> into <paramref name="folder"/>; returns the folder to analyse.</remarks>
    public static string Create(string name, string folder)
    {
        var blob = new SyntheticDicom.Blob(80, 60, 20);
        switch (name)
        {
            case "dx-mono2":
                SyntheticDicom.Radiograph(Path.Combine(folder, "dx.dcm"), 200, 160, blob);
                break;
            case "dx-mono1":
            {
                var ds = Dx();
                // MONOCHROME1: the minimum is white, so the blob is stored dark.
                SyntheticDicom.SetPixels(ds, 200, 160, SyntheticDicom.BlobPixels(200, 160, blob, 3500, 200), photometric: "MONOCHROME1");
                SyntheticDicom.Save(ds, Path.Combine(folder, "dx1.dcm"));
                break;
            }

            case "ct-signed":
            {
                var ds = SyntheticDicom.Header(SyntheticDicom.CtImageStorage, "CT", SyntheticDicom.NewUid(), SyntheticDicom.NewUid(), SyntheticDicom.NewUid());
                ds.AddOrUpdate(DicomTags.ImageType, DicomVR.CS, "ORIGINAL", "PRIMARY", "AXIAL");
                ds.AddOrUpdate(DicomTags.ImagePositionPatient, DicomVR.DS, -50.0, -40.0, 12.5);
                ds.AddOrUpdate(DicomTags.ImageOrientationPatient, DicomVR.DS, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0);
                ds.AddOrUpdate(DicomTags.PixelSpacing, DicomVR.DS, 0.8, 0.8);
                ds.AddOrUpdate(DicomTags.FrameOfReferenceUID, DicomVR.UI, SyntheticDicom.NewUid());
                ds.AddOrUpdate(DicomTags.RescaleIntercept, DicomVR.DS, -24.0);
                ds.AddOrUpdate(DicomTags.RescaleSlope, DicomVR.DS, 1.0);
                ds.AddOrUpdate(DicomTags.RescaleType, DicomVR.CS, "HU");
                // Stored signed: air -976 (= -1000 HU), blob 124 (= 100 HU).
                var pixels = SyntheticDicom.BlobPixels(200, 160, blob, unchecked((ushort)(short)-976), 124);
                SyntheticDicom.SetPixels(ds, 200, 160, pixels, signed: true);
                SyntheticDicom.Save(ds, Path.Combine(folder, "ct.dcm"));
                break;
            }

            case "multiframe":
                SyntheticDicom.MultiFrame(Path.Combine(folder, "mf.dcm"), 3, 200, 160, blob);
                break;
            case "nonsquare":
            {
                var ds = Dx();
                ds.AddOrUpdate(DicomTags.PixelSpacing, DicomVR.DS, 0.5, 0.8);
                SyntheticDicom.SetPixels(ds, 240, 128, SyntheticDicom.BlobPixels(240, 128, blob, 200, 3500));
                SyntheticDicom.Save(ds, Path.Combine(folder, "nonsquare.dcm"));
                break;
            }

            case "japanese":
            {
                var ds = new DicomDataset();
                // PS3.5 H.3.1: ISO 2022 with IR 87 (JIS X 0208) for the ideographic and phonetic groups.
                ds.AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, "", "ISO 2022 IR 87");
                foreach (var element in Dx())
                {
                    if (element.Tag != DicomTags.PatientName)
                    {
                        ds.AddOrUpdate(element);
                    }
                }

                ds.AddOrUpdate(DicomTags.PatientName, DicomVR.PN, JapaneseName);
                SyntheticDicom.SetPixels(ds, 200, 160, SyntheticDicom.BlobPixels(200, 160, blob));
                SyntheticDicom.Save(ds, Path.Combine(folder, "jp.dcm"));
                break;
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, "unknown source");
        }

        return folder;
    }

    private static DicomDataset Dx()
    {
        var ds = SyntheticDicom.Header(SyntheticDicom.DxImageStorage, "DX", SyntheticDicom.NewUid(), SyntheticDicom.NewUid(), SyntheticDicom.NewUid());
        ds.AddOrUpdate(DicomTags.ImagerPixelSpacing, DicomVR.DS, 0.2, 0.2);
        ds.AddOrUpdate(DicomTags.WindowCenter, DicomVR.DS, 1850.0);
        ds.AddOrUpdate(DicomTags.WindowWidth, DicomVR.DS, 3300.0);
        return ds;
    }
}
