namespace MiniGptMed.DicomNode.Analysis;

/// <summary>The instances of one series, in the order they were found (the planner orders them).</summary>
internal sealed record SourceSeries(string SeriesInstanceUid, string Modality, IReadOnlyList<SourceInstance> Instances)
{
    public int? SeriesNumber =>
        Instances.Count > 0 && Instances[0].Dataset.TryGetValue<int>(MiniGptMed.Dicom.Data.DicomTags.SeriesNumber, out var n) ? n : null;
}

/// <summary>
/// What was given to analyse: the instances of one study grouped by series (series in the order of their Series
/// Number, then UID), and what was left out and why.
/// </summary>
internal sealed record SourceStudy(string StudyInstanceUid, IReadOnlyList<SourceSeries> Series, IReadOnlyList<string> Notes)
{
    public IEnumerable<SourceInstance> Instances => Series.SelectMany(s => s.Instances);
}
