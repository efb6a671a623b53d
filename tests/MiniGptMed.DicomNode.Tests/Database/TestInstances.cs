using MiniGptMed.DicomNode.Catalogue;

namespace MiniGptMed.DicomNode.Tests.Database;

/// <summary>Catalogue rows with every field set, as the reception will record them.</summary>
internal static class TestInstances
{
    public static InstanceRecord Ct(string study, string series, int number, DateTimeOffset receivedAt, string calledAe = "NODE") => new()
    {
        SopClassUid = "1.2.840.10008.5.1.4.1.1.2",
        SopInstanceUid = $"{series}.{number}",
        StudyInstanceUid = study,
        SeriesInstanceUid = series,
        Modality = "CT",
        BodyPartExamined = "CHEST",
        SeriesDescription = "Thorax 1.0 B70f",
        SeriesNumber = 3,
        InstanceNumber = number,
        CallingAe = "CT1",
        CalledAe = calledAe,
        PeerAddress = "10.1.2.3",
        ReceivedAt = receivedAt,
        Path = $"instances/{study}/{series}/{series}.{number}.dcm",
        Size = 526_000 + number,
    };
}
