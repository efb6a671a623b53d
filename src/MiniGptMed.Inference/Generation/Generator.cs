using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using MiniGptMed.Inference.Model;
using MiniGptMed.Inference.Runtime;
using MiniGptMed.Inference.Text;

namespace MiniGptMed.Inference.Generation;

/// <summary>One prepared sequence of a batch: preprocessed pixels (3*S*S), prompt ids, decoding settings.</summary>
internal sealed record GenerationItem(float[] PixelValues, PromptTokens Prompt, int MaxNewTokens, GenerationOptions Options);

/// <summary>
/// MiniGPT-Med's generate loop over the three ONNX sessions: vision encoder for the batch's images,
/// embeddings of the text segments, one prefill call over [before | image | after] per row (left
/// padded, attention mask 0 on padding, positions counted from each row's first real token, as
/// Hugging Face does), then one decoder call per new token with the KV cache fed back. Rows that
/// reach EOS or their token limit leave the batch.
/// </summary>
internal sealed class Generator
{
    private readonly ModelManifest _manifest;
    private readonly InferenceSession _embed;
    private readonly InferenceSession _decoder;
    private readonly InferenceSession _gather;
    private readonly OrtMemoryInfo _device;
    private readonly Tensors _tensors;
    private readonly bool _hasPositionIds;
    private readonly PrefillBuilder _prefill;

    public Generator(ModelManifest manifest, InferenceSession vision, InferenceSession embed, InferenceSession decoder,
        InferenceSession gather, OrtMemoryInfo device)
    {
        _manifest = manifest;
        _embed = embed;
        _decoder = decoder;
        _gather = gather;
        _device = device;
        _tensors = new Tensors(manifest.IsFloat16);
        _hasPositionIds = decoder.InputMetadata.ContainsKey(ModelContract.PositionIds);
        _prefill = new PrefillBuilder(manifest, vision, embed, _tensors);
    }

    /// <summary>Test hook: sees each row's next-token logits; step 0 is the prefill, step k after k decode calls.</summary>
    public Action<int, int, float[]>? LogitsObserver { get; set; }

    public BatchStatistics? LastBatch { get; private set; }

    public IReadOnlyList<GeneratedSequence> Run(IReadOnlyList<GenerationItem> items, CancellationToken cancellationToken)
    {
        int batch = items.Count;
        var d = _manifest.Decoder;
        int vocab = d.VocabSize, eos = _manifest.Tokens.Eos;
        using var runOptions = new RunOptions();
        using var cancel = cancellationToken.Register(() => runOptions.Terminate = true);
        var total = Stopwatch.StartNew();

        using var prefill = _prefill.Build(items, runOptions);
        var lengths = prefill.Lengths;
        int width = prefill.Width;
        var mask = prefill.Mask;
        var positions = prefill.Positions;

        // State per active row.
        var rowOf = Enumerable.Range(0, batch).ToArray();
        var generated = items.Select(_ => new List<int>()).ToArray();
        var logProbs = items.Select(_ => new List<double>()).ToArray();
        var samplers = items.Select(i => new TokenSampler(i.Options)).ToArray();
        var finish = new FinishReason[batch];
        var decodeMs = new double[batch];
        var nextPosition = new long[batch];
        for (int r = 0; r < batch; r++)
        {
            nextPosition[r] = lengths[r];
        }

        using var binding = _decoder.CreateIoBinding();
        var logitsRow = new float[vocab];
        KvCache cache = KvCache.Empty(_tensors, d, batch);
        double decoderSessionMs = 0;
        int steps = 0;
        OrtValue? stepEmbeds = null;
        OrtValue? logits = null;
        try
        {
            // Step 0: prefill.
            logits = RunDecoder(binding, runOptions, prefill.Embeddings, mask, [batch, width], positions, [batch, width], ref cache);
            double prefillMs = total.Elapsed.TotalMilliseconds;
            var decodeClock = Stopwatch.StartNew();
            int current = batch, seqLen = width;
            int step = 0;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                // T of the logits: the call's length, or 1 for an export that keeps only the last position
                // (saves B x T x V floats at prefill on the real model).
                var logitsShape = logits.GetTensorTypeAndShape().Shape;
                if (logitsShape.Length != 3 || logitsShape[0] != current || logitsShape[2] != vocab)
                {
                    throw new InferenceException($"decoder.onnx returned logits [{string.Join(",", logitsShape)}], expected [{current},T,{vocab}]");
                }

                long stepWidth = logitsShape[1];
                var nextTokens = new long[current];
                var keep = new List<int>(current);
                for (int a = 0; a < current; a++)
                {
                    int r = rowOf[a];
                    _tensors.ReadFloats(logits, ((a * stepWidth) + stepWidth - 1) * vocab, logitsRow);
                    LogitsObserver?.Invoke(step, r, logitsRow);
                    int token = samplers[r].Next(logitsRow, generated[r]);
                    nextTokens[a] = token;
                    if (token == eos && !items[r].Options.IgnoreEos)
                    {
                        finish[r] = FinishReason.EndOfSequence;
                    }
                    else
                    {
                        generated[r].Add(token);
                        logProbs[r].Add(TokenProbability.LogSoftmaxAt(logitsRow, token));
                        if (generated[r].Count >= items[r].MaxNewTokens)
                        {
                            finish[r] = FinishReason.MaxTokens;
                        }
                        else
                        {
                            keep.Add(a);
                            continue;
                        }
                    }

                    // A row that ends on the prefill's token had no decoding of its own.
                    decodeMs[r] = step == 0 ? 0 : decodeClock.Elapsed.TotalMilliseconds;
                }

                logits.Dispose();
                if (keep.Count == 0)
                {
                    break;
                }

                if (keep.Count < current)
                {
                    // Drop finished rows everywhere: cache on the device, mask and positions on the host.
                    cache.Compact(_gather, _device, keep.Select(k => (long)k).ToArray());
                    mask = SelectRows(mask, seqLen, keep);
                    nextTokens = keep.Select(k => nextTokens[k]).ToArray();
                    rowOf = keep.Select(k => rowOf[k]).ToArray();
                    current = keep.Count;
                }

                // Next input: embeddings of the chosen tokens, mask grown by one, one position per row.
                var grown = new long[current * (seqLen + 1)];
                var stepPositions = new long[current];
                for (int a = 0; a < current; a++)
                {
                    Array.Copy(mask, a * seqLen, grown, a * (seqLen + 1), seqLen);
                    grown[(a * (seqLen + 1)) + seqLen] = 1;
                    stepPositions[a] = nextPosition[rowOf[a]]++;
                }

                mask = grown;
                seqLen++;
                stepEmbeds?.Dispose();
                stepEmbeds = RunEmbedTokens(nextTokens, runOptions);
                var sw = Stopwatch.StartNew();
                logits = RunDecoder(binding, runOptions, stepEmbeds, mask, [current, seqLen], stepPositions, [current, 1], ref cache);
                decoderSessionMs += sw.Elapsed.TotalMilliseconds;
                step++;
                steps++;
            }

            var loopMs = decodeClock.Elapsed.TotalMilliseconds;
            LastBatch = new BatchStatistics(batch, prefill.VisionMs, prefillMs, loopMs, decoderSessionMs, steps);
            return Enumerable.Range(0, batch)
                .Select(r => new GeneratedSequence(generated[r], logProbs[r], finish[r],
                    new GenerationTimings(prefillMs, decodeMs[r], generated[r].Count, batch)))
                .ToList();
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        finally
        {
            logits?.Dispose(); // already disposed on the normal path; disposing twice is harmless
            stepEmbeds?.Dispose();
            cache.Dispose();
        }
    }

    /// <summary>Embeddings of one new token per row, left on the decoder's device.</summary>
    private OrtValue RunEmbedTokens(long[] tokens, RunOptions runOptions)
    {
        using var input = Tensors.FromInt64(tokens, [tokens.Length, 1]);
        using var binding = _embed.CreateIoBinding();
        binding.BindInput(ModelContract.InputIds, input);
        binding.BindOutputToDevice(ModelContract.InputsEmbeds, _device);
        _embed.RunWithBinding(runOptions, binding);
        var outputs = binding.GetOutputValues();
        return outputs[0];
    }

    private OrtValue RunDecoder(OrtIoBinding binding, RunOptions runOptions, OrtValue embeds, long[] mask, long[] maskShape,
        long[] positions, long[] positionShape, ref KvCache cache)
    {
        using var maskValue = Tensors.FromInt64(mask, maskShape);
        using var positionValue = Tensors.FromInt64(positions, positionShape);
        binding.ClearBoundInputs();
        binding.ClearBoundOutputs();
        binding.BindInput(ModelContract.InputsEmbeds, embeds);
        binding.BindInput(ModelContract.AttentionMask, maskValue);
        if (_hasPositionIds)
        {
            binding.BindInput(ModelContract.PositionIds, positionValue);
        }

        cache.Bind(binding);
        binding.BindOutputToDevice(ModelContract.Logits, OrtMemoryInfo.DefaultInstance);
        int layers = _manifest.Decoder.Layers;
        for (int i = 0; i < layers; i++)
        {
            binding.BindOutputToDevice(ModelContract.PresentKey(i), _device);
            binding.BindOutputToDevice(ModelContract.PresentValue(i), _device);
        }

        _decoder.RunWithBinding(runOptions, binding);
        var outputs = binding.GetOutputValues();

        // The mask and positions wrap pinned managed arrays released below: unbind them now.
        binding.ClearBoundInputs();
        binding.ClearBoundOutputs();
        var present = new OrtValue[2 * layers];
        for (int i = 0; i < present.Length; i++)
        {
            present[i] = outputs[i + 1];
        }

        cache.Dispose();
        cache = KvCache.FromPresent(present, layers);
        return outputs[0];
    }

    private static long[] SelectRows(long[] values, int rowLength, List<int> keep)
    {
        var result = new long[keep.Count * rowLength];
        for (int i = 0; i < keep.Count; i++)
        {
            Array.Copy(values, keep[i] * rowLength, result, i * rowLength, rowLength);
        }

        return result;
    }
}
