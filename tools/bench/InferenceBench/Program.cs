using System.Globalization;
using System.Text.Json;
using MiniGptMed.Inference;
using MiniGptMed.Inference.Generation;
using MiniGptMed.Inference.Imaging;
using MiniGptMed.Inference.Model;
using MiniGptMed.Inference.Runtime;

// Measures the engine on CPU: prefill ms and decode tokens/s per batch size, and the decode loop's
// time outside the decoder session. Prints one JSON object per batch size (read by tools/bench_inference.sh).
// usage: InferenceBench MODEL_DIR NEW_TOKENS REPEATS THREADS BATCH...
var model = args[0];
int newTokens = int.Parse(args[1], CultureInfo.InvariantCulture);
int repeats = int.Parse(args[2], CultureInfo.InvariantCulture);
int threads = int.Parse(args[3], CultureInfo.InvariantCulture);
var batches = args[4..].Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray();

using var engine = MiniGptMedEngine.Load(model, new InferenceOptions
{
    ExecutionProvider = ExecutionProviderKind.Cpu,
    IntraOpThreads = threads,
    InterOpThreads = 1,
    MaxBatchSize = batches.Max(),
});

int s = engine.Manifest.Image.Size;
var gray = new byte[s * s];
for (int i = 0; i < gray.Length; i++)
{
    gray[i] = (byte)((i * 37) % 251);
}

var image = RgbImage.FromGray(s, s, gray);
var options = new GenerationOptions { MaxNewTokens = newTokens, IgnoreEos = true };
foreach (var b in batches)
{
    var requests = Enumerable.Range(0, b).Select(_ => new AnalysisRequest(image, MedTask.Report, Generation: options)).ToList();
    await engine.AnalyzeBatchAsync(requests); // warm-up: allocations, arena growth
    var runs = new List<BatchStatistics>();
    for (int r = 0; r < repeats; r++)
    {
        var outcomes = await engine.AnalyzeBatchAsync(requests);
        if (outcomes.Any(o => o.Result is null))
        {
            throw new InvalidOperationException("a benchmark request failed");
        }

        runs.Add(engine.LastBatch!);
    }

    static double Median(IEnumerable<double> xs)
    {
        var a = xs.OrderBy(x => x).ToArray();
        return a.Length % 2 == 1 ? a[a.Length / 2] : (a[(a.Length / 2) - 1] + a[a.Length / 2]) / 2;
    }

    var result = new
    {
        engine = "onnxruntime",
        batch = b,
        prefill_ms = Median(runs.Select(x => x.PrefillMs)),
        decode_tokens_per_s = Median(runs.Select(x => b * x.DecodeSteps / (x.DecodeLoopMs / 1000))),
        decode_loop_ms = Median(runs.Select(x => x.DecodeLoopMs)),
        decoder_session_ms = Median(runs.Select(x => x.DecoderSessionMs)),
        loop_overhead = Median(runs.Select(x => x.LoopOverhead)),
        steps = runs[0].DecodeSteps,
    };
    Console.WriteLine(JsonSerializer.Serialize(result));
}
