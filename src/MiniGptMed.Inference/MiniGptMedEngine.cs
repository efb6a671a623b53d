using System.Reflection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using MiniGptMed.Inference.Generation;
using MiniGptMed.Inference.Imaging;
using MiniGptMed.Inference.Model;
using MiniGptMed.Inference.Output;
using MiniGptMed.Inference.Runtime;
using MiniGptMed.Inference.Text;

namespace MiniGptMed.Inference;

/// <summary>One image, one task, optional instruction text and input box (identify), optional decoding settings.</summary>
public sealed record AnalysisRequest(RgbImage Image, MedTask Task, string? Instruction = null, PixelBox? Box = null,
    GenerationOptions? Generation = null);

/// <summary>The model's answer, parsed, with boxes in the source image's pixels.</summary>
public sealed record AnalysisResult(MedTask Task, string Instruction, IReadOnlyList<int> TokenIds, string RawText, ParsedOutput Output,
    FinishReason Finish, GenerationTimings Timings)
{
    /// <summary>ln p of each token of <see cref="TokenIds"/> under the distribution it was chosen from.</summary>
    public IReadOnlyList<double> TokenLogProbs { get; init; } = [];
}

/// <summary>Per request of a batch: a result, or the error that rejected that request alone.</summary>
public sealed record AnalysisOutcome(AnalysisResult? Result, InferenceException? Error)
{
    public AnalysisResult GetResultOrThrow() => Result ?? throw Error!;
}

/// <summary>
/// MiniGPT-Med on ONNX Runtime: loads a model directory (manifest + three ONNX files + tokenizer.model),
/// checks it against the contract, and answers requests in batches. Knows nothing of DICOM: images
/// arrive as 8-bit RGB buffers.
/// </summary>
public sealed class MiniGptMedEngine : IDisposable
{
    private readonly InferenceSession _vision;
    private readonly InferenceSession _embed;
    private readonly InferenceSession _decoder;
    private readonly InferenceSession _gather;
    private readonly Generator _generator;
    private readonly ImagePreprocessor _preprocessor;
    private readonly PromptBuilder _prompts;
    private readonly InferenceOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private MiniGptMedEngine(ModelManifest manifest, MedTokenizer tokenizer, InferenceSession vision, InferenceSession embed,
        InferenceSession decoder, InferenceSession gather, OrtMemoryInfo device, ExecutionProviderKind provider,
        InferenceOptions options, ILogger logger)
    {
        Manifest = manifest;
        Tokenizer = tokenizer;
        Provider = provider;
        _vision = vision;
        _embed = embed;
        _decoder = decoder;
        _gather = gather;
        _options = options;
        _logger = logger;
        _preprocessor = new ImagePreprocessor(manifest.Image);
        _prompts = new PromptBuilder(manifest, tokenizer);
        _generator = new Generator(manifest, vision, embed, decoder, gather, device);
    }

    public ModelManifest Manifest { get; }

    public MedTokenizer Tokenizer { get; }

    public ExecutionProviderKind Provider { get; }

    /// <summary>Statistics of the last batch decoded (for benchmarks).</summary>
    public BatchStatistics? LastBatch => _generator.LastBatch;

    internal Generator Generator => _generator;

    public static MiniGptMedEngine Load(string modelDirectory, InferenceOptions? options = null, ILogger? logger = null)
    {
        options ??= new InferenceOptions();
        logger ??= NullLogger.Instance;
        var optionErrors = options.Validate();
        if (optionErrors.Count > 0)
        {
            throw new ModelLoadException($"inference options are invalid: {string.Join("; ", optionErrors)}");
        }

        if (!Directory.Exists(modelDirectory))
        {
            throw new ModelLoadException($"model directory not found: {modelDirectory}");
        }

        var manifestPath = Path.Combine(modelDirectory, ModelManifest.FileName);
        var manifest = ModelManifest.Load(manifestPath);
        if (manifest.Weights is null)
        {
            Log.WeightsNotListed(logger, manifestPath);
        }
        else if (manifest.CheckFiles(modelDirectory) is { Count: > 0 } fileErrors)
        {
            // Before ONNX Runtime reads anything: a truncated graph or external-data file must not run, nor fail obscurely.
            throw new ModelLoadException($"model in {modelDirectory} is incomplete or altered (a half-copied model must not run): {string.Join("; ", fileErrors)}");
        }

        var tokenizer = MedTokenizer.Load(Path.Combine(modelDirectory, manifest.Files.Tokenizer), manifest.Tokens.Bos, manifest.Tokens.Eos);
        var gatherModel = ReadResource(manifest.IsFloat16 ? "kv_gather_f16.onnx" : "kv_gather_f32.onnx");
        var factory = new SessionFactory(options, logger, gatherModel);
        var sessions = new List<InferenceSession>();
        try
        {
            var vision = Add(sessions, factory.Create(Path.Combine(modelDirectory, manifest.Files.Vision), "vision"));
            var embed = Add(sessions, factory.Create(Path.Combine(modelDirectory, manifest.Files.EmbedTokens), "embed_tokens"));
            var decoder = Add(sessions, factory.Create(Path.Combine(modelDirectory, manifest.Files.Decoder), "decoder"));
            var errors = ModelContract.Check(manifest, vision, embed, decoder).ToList();
            if (errors.Count == 0 && ModelContract.ProbeVision(manifest, vision, new Tensors(manifest.IsFloat16)) is { } probeError)
            {
                errors.Add(probeError);
            }

            if (errors.Count > 0)
            {
                throw new ModelLoadException($"model in {modelDirectory} does not match its manifest: {string.Join("; ", errors)}");
            }

            var gather = Add(sessions, factory.Create(gatherModel, "kv_gather"));
            Log.ModelLoaded(logger, manifest.Name, modelDirectory, factory.Provider, manifest.Dtype);
            return new MiniGptMedEngine(manifest, tokenizer, vision, embed, decoder, gather, factory.DeviceMemory, factory.Provider, options, logger);
        }
        catch
        {
            foreach (var s in sessions)
            {
                s.Dispose();
            }

            throw;
        }
    }

    public async Task<AnalysisResult> AnalyzeAsync(AnalysisRequest request, CancellationToken cancellationToken = default)
    {
        var outcomes = await AnalyzeBatchAsync([request], cancellationToken).ConfigureAwait(false);
        return outcomes[0].GetResultOrThrow();
    }

    /// <summary>
    /// Decodes the requests together (in chunks of MaxBatchSize). A request that cannot be prepared
    /// (bad image, bad box, prompt too long) gets its error; the others are answered.
    /// </summary>
    public async Task<IReadOnlyList<AnalysisOutcome>> AnalyzeBatchAsync(IReadOnlyList<AnalysisRequest> requests,
        CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await Task.Run(() => AnalyzeBatch(requests, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private List<AnalysisOutcome> AnalyzeBatch(IReadOnlyList<AnalysisRequest> requests, CancellationToken cancellationToken)
    {
        var outcomes = new AnalysisOutcome[requests.Count];
        var prepared = new List<(int Index, GenerationItem Item)>();
        for (int i = 0; i < requests.Count; i++)
        {
            try
            {
                prepared.Add((i, Prepare(requests[i])));
            }
            catch (InvalidRequestException ex)
            {
                Log.RequestRejected(_logger, i, ex.Message);
                outcomes[i] = new AnalysisOutcome(null, ex);
            }
        }

        foreach (var chunk in prepared.Chunk(Math.Max(1, _options.MaxBatchSize)))
        {
            IReadOnlyList<GeneratedSequence> sequences;
            try
            {
                sequences = _generator.Run(chunk.Select(c => c.Item).ToList(), cancellationToken);
            }
            catch (Exception ex) when (ex is OnnxRuntimeException or (InferenceException and not InvalidRequestException))
            {
                // A failed run (out of device memory, a shape the graph rejects) fails its chunk, not the engine.
                var error = new InferenceException($"inference failed for a batch of {chunk.Length}: {ex.Message}", ex);
                Log.BatchFailed(_logger, chunk.Length, ex.Message);
                foreach (var (index, _) in chunk)
                {
                    outcomes[index] = new AnalysisOutcome(null, error);
                }

                continue;
            }

            if (_generator.LastBatch is { } stats)
            {
                Log.BatchDone(_logger, stats.BatchSize, stats.PrefillMs, stats.DecodeSteps, stats.DecodeLoopMs);
            }

            for (int k = 0; k < chunk.Length; k++)
            {
                var (index, item) = chunk[k];
                var request = requests[index];
                var seq = sequences[k];
                var raw = Tokenizer.Decode(seq.TokenIds);
                var parsed = FindingConfidence.Score(OutputParser.Parse(raw, request.Image.Width, request.Image.Height),
                    seq.TokenIds, seq.TokenLogProbs, Tokenizer);
                outcomes[index] = new AnalysisOutcome(
                    new AnalysisResult(request.Task, item.Prompt.Instruction, seq.TokenIds, raw, parsed, seq.Finish, seq.Timings)
                    {
                        TokenLogProbs = seq.TokenLogProbs,
                    }, null);
            }
        }

        return [.. outcomes];
    }

    private GenerationItem Prepare(AnalysisRequest request)
    {
        if (request.Image is null)
        {
            throw new InvalidRequestException("request has no image");
        }

        if (!Enum.IsDefined(request.Task))
        {
            throw new InvalidRequestException($"unknown task {request.Task}");
        }

        request.Image.Validate(_options.MinImageSide, _options.MaxImageSide);
        var options = request.Generation ?? GenerationOptions.Greedy;
        options.Validate();
        string? boxText = null;
        if (request.Box is { } box)
        {
            boxText = PromptBuilder.BoxText(box, request.Image.Width, request.Image.Height);
        }
        else if (request.Task == MedTask.Identify)
        {
            throw new InvalidRequestException("identify needs an input box (x1,y1,x2,y2 in pixels)");
        }

        var prompt = _prompts.Build(request.Task, request.Instruction, boxText, _options.MaxPromptTokens);
        var pixels = new float[3 * _preprocessor.Size * _preprocessor.Size];
        _preprocessor.Process(request.Image, pixels);
        var maxNew = options.MaxNewTokens ?? Manifest.Task(request.Task).MaxNewTokens;
        return new GenerationItem(pixels, prompt, maxNew, options);
    }

    public void Dispose()
    {
        _vision.Dispose();
        _embed.Dispose();
        _decoder.Dispose();
        _gather.Dispose();
        _gate.Dispose();
    }

    private static InferenceSession Add(List<InferenceSession> sessions, InferenceSession session)
    {
        sessions.Add(session);
        return session;
    }

    private static byte[] ReadResource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new ModelLoadException($"embedded resource {name} missing from the build");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}
