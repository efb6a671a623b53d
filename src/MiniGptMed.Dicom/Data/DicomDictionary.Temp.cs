namespace MiniGptMed.Dicom.Data;

// Temporary until the generated dictionary lands.
public static class DicomDictionary
{
    public static DicomVR DefaultVR(DicomTag tag) => tag.Element == 0 ? DicomVR.UL : tag == new DicomTag(0x0008, 0x0005) ? DicomVR.CS : DicomVR.UN;
}
