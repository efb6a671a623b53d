using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniGptMed.Dicom.Imaging.Lut;
using MiniGptMed.Dicom.Imaging.Volumes;
using MiniGptMed.DicomNode.Configuration;
using MiniGptMed.DicomNode.Results;
using MiniGptMed.Inference;
using MiniGptMed.Inference.Model;
using MiniGptMed.Inference.Runtime;

namespace MiniGptMed.DicomNode.Analysis;

/// <summary>
/// <see cref="IGroupAnalyser"/> on the node's one analysis path (the same as the <c>analyze</c> verb): the engine is
/// loaded once, at the first analysis (GPU when CUDA loads, else CPU with one warning: <c>Inference:ExecutionProvider</c>
/// Auto); a study's images go through it in batches of <c>Inference:MaxBatchSize</c>, one study at a time (the jobs
/// waiting behind it are the bounded queue: they stay in the database, not in memory).
/// </summary>
internal sealed class ModelGroupAnalyser : IGroupAnalyser, IDisposable
{
    private readonly Lazy<(MiniGptMedEngine Engine, EngineRunner Runner)> _model;
    private readonly ResultsOptions _results;
    private readonly IOptionsMonitor<StorageOptions> _storage;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _one = new(1, 1);

    public ModelGroupAnalyser(string modelDirectory, InferenceOptions inference, ResultsOptions results, IOptionsMonitor<StorageOptions> storage, TimeProvider time, ILogger logger)
    {
        // Loaded once, at the first analysis (not at every start of serve: a node that only receives never pays for it).
        _model = new(() =>
        {
            var engine = MiniGptMedEngine.Load(modelDirectory, inference, logger);
            var identity = ModelIdentity.FromDirectory(modelDirectory);
            AnalysisMetrics.ModelLoaded(engine.Provider.ToString(), identity.ToString());
            return (engine, new EngineRunner(engine, identity, inference.MaxBatchSize));
        });
        _results = results;
        _storage = storage;
        _time = time;
    }

    public async Task<GroupAnalysisResult> AnalyseAsync(GroupAnalysisRequest request, CancellationToken cancellationToken)
    {
        var rule = request.Rule;
        var data = _storage.CurrentValue.DataDirectory;
        var files = request.Instances.Select(i => Path.IsPathRooted(i.Path) ? i.Path : Path.Combine(data, i.Path)).ToList();
        var tasks = rule.Tasks.Select(t => new AnalysisTask(MedTaskExtensions.TryParse(t.Task, out var task) ? task : throw new InvalidOperationException($"task '{t.Task}'"), t.Prompt)).ToList();

        await _one.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var study = StudyLoader.LoadFiles(files);
            var plan = ImagePlanner.Plan(study, SliceSelection.Parse(rule.Slices), WindowPreset.Parse(rule.Window));
            if (plan.Images.Count > rule.MaxImages)
            {
                // The rule's bound on model work per group; the SR's notes say what was left out.
                plan = plan with
                {
                    Images = plan.Images.Take(rule.MaxImages).ToList(),
                    Notes = [.. plan.Notes, $"{plan.Images.Count - rule.MaxImages} of {plan.Images.Count} planned images left out (rule '{rule.Name}' MaxImages {rule.MaxImages})"],
                };
            }

            var analysis = await StudyAnalyzer.AnalyzeAsync(plan, tasks, _model.Value.Runner, null, cancellationToken).ConfigureAwait(false);
            var written = ResultsWriter.Write(analysis, _results.ToDeviceIdentity(), _time.GetUtcNow(), request.ResultsFolder, Predecessor(request.EarlierResults, analysis));
            return new GroupAnalysisResult(written.Select(w => w.Path).ToList(), FindingsSummary.Of(analysis))
            {
                Images = analysis.Images.Count,
                Detected = Detected(analysis),
                Narrative = analysis.Images.SelectMany(i => i.Answers).FirstOrDefault(a => a.Task.Task == MedTask.Report)?.Text,
                Modality = request.Instances.Select(i => i.Modality).FirstOrDefault(m => !string.IsNullOrEmpty(m)),
            };
        }
        finally
        {
            _one.Release();
        }
    }

    /// <summary>Every finding of every answer with a phrase or a region, coded as the SR codes it.</summary>
    internal static IReadOnlyList<Worklist.Triage.TriageFinding> Detected(StudyAnalysis analysis) =>
        analysis.Images.SelectMany(i => i.Answers.SelectMany(a => a.Findings).Select(f => (Image: i, Finding: f)))
            .Where(x => x.Finding.Phrase is not null || x.Finding.Regions.Count > 0)
            .Select(x =>
            {
                var f = x.Finding;
                var code = FindingCodes.For(f.Phrase);
                var source = x.Image.Rendered.Source;
                var boxes = f.Regions.Count == 0 ? null : f.Regions
                    .Select(r => new Worklist.Triage.FindingRegion(source.SopInstanceUid, source.FrameNumber,
                        Math.Round(r.Rectangle.X1, 1), Math.Round(r.Rectangle.Y1, 1), Math.Round(r.Rectangle.X2, 1), Math.Round(r.Rectangle.Y2, 1)))
                    .ToList();
                return new Worklist.Triage.TriageFinding(f.Phrase, code.Value, code.Scheme, code.Meaning, f.Confidence, f.Regions.Count, boxes);
            })
            .ToList();

    /// <summary>
    /// The newest earlier SR of the study in the results folder (a re-analysis after late arrivals), unless it is the
    /// one this analysis writes again (same input, same UID): PS3.3 C.17.2.3 names the document this one replaces.
    /// </summary>
    private static Dicom.StructuredReport.Templates.SopInstanceReference? Predecessor(IReadOnlyList<string> earlier, StudyAnalysis analysis)
    {
        var own = new ResultUids(analysis).InstanceUid(ResultKind.SR, null);
        var previous = earlier
            .Where(f => Path.GetFileName(f).StartsWith($"{ResultKind.SR}_", StringComparison.Ordinal))
            .Select(f => (File: f, Dataset: Dicom.IO.DicomFile.Open(f).Dataset))
            .Where(x => x.Dataset.GetString(Dicom.Data.DicomTags.SOPInstanceUID) != own)
            .OrderByDescending(x => File.GetLastWriteTimeUtc(x.File))
            .FirstOrDefault();
        return previous.Dataset is not { } d ? null : new Dicom.StructuredReport.Templates.SopInstanceReference(
            d.GetString(Dicom.Data.DicomTags.StudyInstanceUID) ?? string.Empty,
            d.GetString(Dicom.Data.DicomTags.SeriesInstanceUID) ?? string.Empty,
            d.GetString(Dicom.Data.DicomTags.SOPClassUID) ?? string.Empty,
            d.GetString(Dicom.Data.DicomTags.SOPInstanceUID) ?? string.Empty);
    }

    public void Dispose()
    {
        if (_model.IsValueCreated)
        {
            _model.Value.Engine.Dispose();
        }

        _one.Dispose();
    }
}
