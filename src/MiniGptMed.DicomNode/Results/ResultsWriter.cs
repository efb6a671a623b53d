using MiniGptMed.Dicom.Composition;
using MiniGptMed.DicomNode.Analysis;

namespace MiniGptMed.DicomNode.Results;

/// <summary>
/// From an analysis to DICOM objects in a folder: the SR (TID 1500) for the study, and per source series a
/// Secondary Capture with the boxes burned in and a presentation state on the originals. Everything is built in
/// memory first (a builder that rejects a value fails before any file exists), then written atomically.
/// </summary>
internal static class ResultsWriter
{
    public static IReadOnlyList<IResultComposer> Composers { get; } = [new ReportComposer(), new SecondaryCaptureComposer(), new PresentationStateComposer()];

    public static IReadOnlyList<ResultObject> Build(StudyAnalysis analysis, DeviceIdentity device, DateTimeOffset createdAt,
        Dicom.StructuredReport.Templates.SopInstanceReference? predecessor = null)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(device);
        var context = new ResultsContext(analysis, new ResultUids(analysis), device, createdAt) { Predecessor = predecessor };
        return Composers.SelectMany(c => c.Compose(context)).ToList();
    }

    /// <summary>Builds every object, then writes them into <paramref name="directory"/> (see <see cref="AtomicOutput"/>).</summary>
    public static IReadOnlyList<WrittenObject> Write(StudyAnalysis analysis, DeviceIdentity device, DateTimeOffset createdAt, string directory,
        Dicom.StructuredReport.Templates.SopInstanceReference? predecessor = null)
    {
        var objects = Build(analysis, device, createdAt, predecessor);
        var paths = AtomicOutput.Write(directory, objects.Select(o => (o.FileName, (Action<Stream>)o.Save)).ToList());
        return objects.Select((o, i) => new WrittenObject(o, paths[i])).ToList();
    }
}
