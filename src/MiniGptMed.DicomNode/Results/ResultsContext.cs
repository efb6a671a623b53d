using MiniGptMed.Dicom.Composition;
using MiniGptMed.DicomNode.Analysis;

namespace MiniGptMed.DicomNode.Results;

/// <summary>What every composer needs: the analysis, its UIDs, the device and the creation time of the objects.</summary>
internal sealed record ResultsContext(StudyAnalysis Analysis, ResultUids Uids, DeviceIdentity Device, DateTimeOffset CreatedAt)
{
    /// <summary>The SR a re-analysis supersedes (late arrivals): PS3.3 C.17.2.3 Predecessor Documents Sequence.</summary>
    public Dicom.StructuredReport.Templates.SopInstanceReference? Predecessor { get; init; }

    /// <summary>Series numbers of the new series: high, so that they sort after the modality's own series in a viewer.</summary>
    public static int SeriesNumber(ResultKind kind) => kind switch
    {
        ResultKind.SR => 9001,
        ResultKind.SC => 9002,
        _ => 9003,
    };

    /// <summary>
    /// The identity of one result object of <paramref name="kind"/>: its instance UID (derived from the analysis, the
    /// kind and <paramref name="uidKey"/>, the source series or null), the kind's series UID and series number.
    /// </summary>
    public DerivedObjectIdentity Identity(ResultKind kind, string sopClassUid, string? uidKey, int instanceNumber, string modality, string seriesDescription) =>
        new(sopClassUid, Uids.InstanceUid(kind, uidKey), Uids.SeriesUid(kind), SeriesNumber(kind), instanceNumber, modality, seriesDescription);

    /// <summary>The analysed images grouped by their source series, in plan order.</summary>
    public IReadOnlyList<IGrouping<string, AnalysedImage>> ImagesBySeries =>
        Analysis.Images.GroupBy(i => i.Rendered.Planned.Series.SeriesInstanceUid, StringComparer.Ordinal).ToList();
}

/// <summary>Turns an analysis into objects of one kind.</summary>
internal interface IResultComposer
{
    IEnumerable<ResultObject> Compose(ResultsContext context);
}
