using System.Globalization;
using System.Text;
using MiniGptMed.Dicom.Data;
using MiniGptMed.DicomNode.Analysis;

namespace MiniGptMed.DicomNode.Results;

/// <summary>
/// The UIDs of the objects an analysis writes, derived from what the analysis is, never drawn at random: the source
/// study, the task set (tasks, prompts, input boxes, in order), the model (manifest name and version), and the frames
/// it read with their windows. The same analysis written twice gives the same UIDs, so a PACS that receives it again
/// replaces or ignores it instead of holding two copies; another analysis of the same study gets other UIDs.
/// Each UID is 2.25 followed by a name-based UUID (PS3.5 B.2; RFC 9562 version 5, <see cref="DicomNameBasedUid"/>).
/// </summary>
internal sealed class ResultUids
{
    private readonly string _analysisKey;

    public ResultUids(StudyAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var key = new StringBuilder("minigptmed-results/1\n");
        key.Append("study=").Append(analysis.StudyInstanceUid).Append('\n');
        foreach (var task in analysis.Tasks)
        {
            key.Append("task=").Append(task.Key).Append('\n');
        }

        key.Append("model=").Append(analysis.Model.Name).Append(' ').Append(analysis.Model.Version).Append('\n');
        foreach (var image in analysis.Images)
        {
            var r = image.Rendered;
            key.Append(CultureInfo.InvariantCulture, $"image={r.Source.SopInstanceUid}#{r.Source.FrameNumber} window={r.Planned.Window.Name}\n");
        }

        _analysisKey = key.ToString();
    }

    /// <summary>The text every UID of this analysis is derived from (shown by tests and in the docs).</summary>
    public string AnalysisKey => _analysisKey;

    public string SeriesUid(ResultKind kind) => Derive($"{_analysisKey}series/{kind}");

    /// <summary>The instance of <paramref name="kind"/> for one source series (SC, PR), or for the whole study (SR: null).</summary>
    public string InstanceUid(ResultKind kind, string? sourceSeriesUid) => Derive($"{_analysisKey}instance/{kind}/{sourceSeriesUid}");

    /// <summary>A UID for another derived thing of this analysis (tracking identifiers of findings).</summary>
    public string ItemUid(string name) => Derive($"{_analysisKey}item/{name}");

    /// <summary>The node's namespace for name-based result UIDs (RFC 9562 5.5), fixed once: changing it changes every UID.</summary>
    public static readonly Guid Namespace = new("6f3b1c52-4a7e-5d19-9c0e-2b8d7e41a903");

    /// <summary>2.25.&lt;decimal of the version 5 UUID of <paramref name="name"/> in <see cref="Namespace"/>&gt; (PS3.5 B.2).</summary>
    public static string Derive(string name) => DicomNameBasedUid.Create(Namespace, name);
}

/// <summary>The kinds of object an analysis writes, each its own new series in the source's study.</summary>
internal enum ResultKind
{
    /// <summary>Comprehensive 3D SR, TID 1500: one per analysis.</summary>
    SR,

    /// <summary>Multi-frame True Color Secondary Capture with the boxes burned in: one per source series.</summary>
    SC,

    /// <summary>Grayscale (or Color) Softcopy Presentation State on the originals: one per source series.</summary>
    PR,
}
