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
    private readonly InferenceSession _vision;
    private readonly InferenceSession _embed;
    private readonly InferenceSession _decoder;
    private readonly InferenceSession _gather;
    private readonly OrtMemoryInfo _device;
    private readonly Tensors _tensors;
    private readonly bool _hasPositionIds;

    public Generator(ModelManifest manifest, InferenceSession vision, InferenceSession embed, InferenceSession decoder,
        InferenceSession gather, OrtMemoryInfo device)
    {
        _manifest = manifest;
        _vision = vision;
        _embed = embed;
        _decoder = decoder;
        _gather = gather;
        _device = device;
        _tensors = new Tensors(manifest.IsFloat16);
        _hasPositionIds = decoder.InputMetadata.ContainsKey(ModelContract.PositionIds);
    }

    /// <summary>Test hook: sees each row's next-token logits; step 0 is the prefill, step k after k decode calls.</summary>
    public Action<int, int, float[]>? LogitsObserver { get; set; }

    public BatchStatistics? LastBatch { get; private set; }

    public IReadOnlyList<GeneratedSequence> Run(IReadOnlyList<GenerationItem> items, CancellationToken cancellationToken)
    {
        int batch = items.Count;
        var d = _manifest.Decoder;
        int hidden = d.HiddenSize, vocab = d.VocabSize, eos = _manifest.Tokens.Eos;
        using var runOptions = new RunOptions();
        using var cancel = cancellationToken.Register(() => runOptions.Terminate = true);
        var total = Stopwatch.StartNew();

        // Vision encoder for all images at once.
        using var imageEmbeds = RunVision(items, runOptions, out var visionMs);

        // Prefill embeddings: left padding, zeros under the mask.
        int n = _manifest.Image.Tokens;
        var lengths = items.Select(i => i.Prompt.Before.Count + n + i.Prompt.After.Count).ToArray();
        int width = lengths.Max();
        using var textEmbeds = RunEmbedSegments(items, runOptions);
        using var prefillEmbeds = _tensors.Allocate([batch, width, hidden]);
        var mask = new long[batch * width];
        var positions = new long[batch * width];
        AssemblePrefill(items, imageEmbeds, textEmbeds, prefillEmbeds, lengths, width, mask, positions);

        // State per active row.
        var rowOf = Enumerable.Range(0, batch).ToArray();
        var generated = items.Select(_ => new List<int>()).ToArray();
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
        try
        {
            // Step 0: prefill.
            var logits = RunDecoder(binding, runOptions, prefillEmbeds, mask, [batch, width], positions, [batch, width], ref cache);
            double prefillMs = total.Elapsed.TotalMilliseconds;
            var decodeClock = Stopwatch.StartNew();
            int current = batch, seqLen = width, stepWidth = width;
            int step = 0;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var nextTokens = new long[current];
                var keep = new List<int>(current);
                for (int a = 0; a < current; a++)
                {
                    int r = rowOf[a];
                    _tensors.ReadFloats(logits, (((long)a * stepWidth) + stepWidth - 1) * vocab, logitsRow);
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
                stepWidth = 1;
                step++;
                steps++;
            }

            var loopMs = decodeClock.Elapsed.TotalMilliseconds;
            LastBatch = new BatchStatistics(batch, visionMs, prefillMs, loopMs, decoderSessionMs, steps);
            return Enumerable.Range(0, batch)
                .Select(r => new GeneratedSequence(generated[r], finish[r],
                    new GenerationTimings(prefillMs, decodeMs[r], generated[r].Count, batch)))
                .ToList();
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        finally
        {
            stepEmbeds?.Dispose();
            cache.Dispose();
        }
    }

    private OrtValue RunVision(IReadOnlyList<GenerationItem> items, RunOptions runOptions, out double ms)
    {
        var sw = Stopwatch.StartNew();
        int s = _manifest.Image.Size, plane = 3 * s * s;
        var pixels = new float[items.Count * plane];
        for (int i = 0; i < items.Count; i++)
        {
            items[i].PixelValues.CopyTo(pixels, i * plane);
        }

        using var input = _tensors.FromFloats(pixels, [items.Count, 3, s, s]);
        using var outputs = _vision.Run(runOptions, [ModelContract.PixelValues], [input], [ModelContract.ImageEmbeds]);
        var embeds = outputs[0];
        var shape = embeds.GetTensorTypeAndShape().Shape;
        if (shape.Length != 3 || shape[0] != items.Count || shape[1] != _manifest.Image.Tokens || shape[2] != _manifest.Decoder.HiddenSize)
        {
            throw new InferenceException(
                $"vision.onnx returned image_embeds [{string.Join(",", shape)}], manifest expects [{items.Count},{_manifest.Image.Tokens},{_manifest.Decoder.HiddenSize}]");
        }

        // Detach from the disposable list: copy into a tensor we own (once per batch, host side).
        var owned = _tensors.Allocate(shape);
        Tensors.RawBytes(embeds).CopyTo(owned.GetTensorMutableRawData());
        ms = sw.Elapsed.TotalMilliseconds;
        return owned;
    }

    /// <summary>All text segments of the batch in one embedding call ([1, total ids]).</summary>
    private OrtValue RunEmbedSegments(IReadOnlyList<GenerationItem> items, RunOptions runOptions)
    {
        var ids = items.SelectMany(i => i.Prompt.Before.Concat(i.Prompt.After)).Select(x => (long)x).ToArray();
        using var input = Tensors.FromInt64(ids, [1, ids.Length]);
        using var outputs = _embed.Run(runOptions, [ModelContract.InputIds], [input], [ModelContract.InputsEmbeds]);
        var owned = _tensors.Allocate([1, ids.Length, _manifest.Decoder.HiddenSize]);
        Tensors.RawBytes(outputs[0]).CopyTo(owned.GetTensorMutableRawData());
        return owned;
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

    private void AssemblePrefill(IReadOnlyList<GenerationItem> items, OrtValue imageEmbeds, OrtValue textEmbeds, OrtValue prefill,
        int[] lengths, int width, long[] mask, long[] positions)
    {
        int es = _tensors.FloatSize, hidden = _manifest.Decoder.HiddenSize, n = _manifest.Image.Tokens;
        int rowBytes = hidden * es;
        var image = Tensors.RawBytes(imageEmbeds);
        var text = Tensors.RawBytes(textEmbeds);
        var dst = prefill.GetTensorMutableRawData();
        dst.Clear();
        int textOffset = 0;
        for (int b = 0; b < items.Count; b++)
        {
            var p = items[b].Prompt;
            int pad = width - lengths[b];
            int at = ((b * width) + pad) * rowBytes;
            int beforeBytes = p.Before.Count * rowBytes, imageBytes = n * rowBytes, afterBytes = p.After.Count * rowBytes;
            text.Slice(textOffset, beforeBytes).CopyTo(dst[at..]);
            textOffset += beforeBytes;
            at += beforeBytes;
            image.Slice(b * imageBytes, imageBytes).CopyTo(dst[at..]);
            at += imageBytes;
            text.Slice(textOffset, afterBytes).CopyTo(dst[at..]);
            textOffset += afterBytes;
            for (int t = 0; t < width; t++)
            {
                // Hugging Face: position_ids = cumsum(mask) - 1, padding positions clamped to 0 (ignored anyway).
                mask[(b * width) + t] = t >= pad ? 1 : 0;
                positions[(b * width) + t] = Math.Max(0, t - pad);
            }
        }
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
