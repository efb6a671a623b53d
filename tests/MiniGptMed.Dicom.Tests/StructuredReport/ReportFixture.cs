using MiniGptMed.Dicom.Composition;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.StructuredReport;
using MiniGptMed.Dicom.StructuredReport.Templates;

namespace MiniGptMed.Dicom.Tests.StructuredReport;

/// <summary>The identity, device and algorithm the report tests share.</summary>
internal static class ReportFixture
{
    public static readonly DateTimeOffset CreatedAt = new(2026, 1, 2, 13, 5, 7, TimeSpan.FromHours(1));

    public static DeviceIdentity Device { get; } = new(
        "1.2.826.0.1.3680043.10.999.100", "MINIGPTMED-NODE", "MiniGPT-Med project", "MiniGPT-Med DICOM node", "SN-0001", "0.1.0");

    public static AlgorithmIdentification Algorithm { get; } = new("MiniGPT-Med", "test-model 1", ["task=detection", "prompt=[detection] pneumonia"]);

    public static DerivedObjectIdentity Identity(string description = "") => new(
        DicomUid.Comprehensive3DSRStorage.Value,
        DicomUidGenerator.Generate(),
        DicomUidGenerator.Generate(),
        9001,
        1,
        "SR",
        description);

    public static CodedConcept Pneumonia { get; } = new("233604007", "SCT", "Pneumonia");
}
