using MiniGptMed.Dicom.Composition;
using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.Tests.Composition;

/// <summary>The shared header (DerivedObjectHeader) of a derived object of the given class, in the original's study.</summary>
internal static class DerivedHeader
{
    public static readonly DeviceIdentity Device = new("2.25.31415926", "minigptmed", "MiniGPT-Med DICOM Node", "minigptmed", "0001", "0.1");

    public static DicomDataset For(DicomDataset source, string sopClassUid, string modality, string seriesUid, string instanceUid) =>
        DerivedObjectHeader.Create(
            source,
            new DerivedObjectIdentity(sopClassUid, instanceUid, seriesUid, 901, 1, modality, "AI-generated, not verified"),
            Device,
            new DateTimeOffset(2026, 2, 2, 2, 2, 2, TimeSpan.Zero));
}
