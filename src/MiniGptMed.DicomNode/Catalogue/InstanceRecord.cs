namespace MiniGptMed.DicomNode.Catalogue;

/// <summary>
/// One stored instance as the catalogue keeps it: its identity and place in the study (PS3.3 C.7.2.1, C.7.3.1,
/// C.12.1), who sent it to which of our AEs and from where, and where its sealed file is.
/// </summary>
public sealed record InstanceRecord
{
    /// <summary>(0008,0016).</summary>
    public required string SopClassUid { get; init; }

    /// <summary>(0008,0018): the instance's identity; a second instance with it replaces the first.</summary>
    public required string SopInstanceUid { get; init; }

    /// <summary>(0020,000D).</summary>
    public required string StudyInstanceUid { get; init; }

    /// <summary>(0020,000E).</summary>
    public required string SeriesInstanceUid { get; init; }

    /// <summary>(0008,0060).</summary>
    public string? Modality { get; init; }

    /// <summary>(0018,0015).</summary>
    public string? BodyPartExamined { get; init; }

    /// <summary>(0008,103E).</summary>
    public string? SeriesDescription { get; init; }

    /// <summary>(0020,0011).</summary>
    public int? SeriesNumber { get; init; }

    /// <summary>(0020,0013).</summary>
    public int? InstanceNumber { get; init; }

    /// <summary>The peer's AE title (A-ASSOCIATE-RQ calling AE; kept in the file as Source AE Title (0002,0016)).</summary>
    public required string CallingAe { get; init; }

    /// <summary>Our listening AE it called (kept in the file as Receiving AE Title (0002,0018)); assembly groups per called AE.</summary>
    public required string CalledAe { get; init; }

    /// <summary>The peer's IP address; null when recovered from a file that does not record it.</summary>
    public string? PeerAddress { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The sealed file, as the store names it (relative to the data folder or absolute: the caller's choice, kept as given).</summary>
    public required string Path { get; init; }

    public required long Size { get; init; }
}
