using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using MiniGptMed.Inference.Model;
using MiniGptMed.Inference.Runtime;

namespace MiniGptMed.Inference.Generation;

/// <summary>The prefill input of a batch: embeddings [B,W,H] left padded, mask and positions [B,W].</summary>
internal sealed class PrefillInputs(OrtValue embeddings, long[] mask, long[] positions, int[] lengths, int width, double visionMs) : IDisposable
{
    public OrtValue Embeddings { get; } = embeddings;

    public long[] Mask { get; } = mask;

    public long[] Positions { get; } = positions;

    /// <summary>Real (unpadded) length of each row.</summary>
    public int[] Lengths { get; } = lengths;

    public int Width { get; } = width;

    public double VisionMs { get; } = visionMs;

    public void Dispose() => Embeddings.Dispose();
}

/// <summary>
/// MiniGPT-Med's get_context_emb for a batch: the vision encoder over all images at once, one
/// embedding call over all text segments, then per row [before | image | after], left padded
/// (MODEL.md "Generation": batches are left-padded) with zeros under a 0 mask.
/// </summary>
internal sealed class PrefillBuilder(ModelManifest manifest, InferenceSession vision, InferenceSession embed, Tensors tensors)
{
    public PrefillInputs Build(IReadOnlyList<GenerationItem> items, RunOptions runOptions)
    {
        int batch = items.Count, hidden = manifest.Decoder.HiddenSize, n = manifest.Image.Tokens;
        using var imageEmbeds = RunVision(items, runOptions, out var visionMs);
        var lengths = items.Select(i => i.Prompt.Before.Count + n + i.Prompt.After.Count).ToArray();
        int width = lengths.Max();
        using var textEmbeds = RunEmbedSegments(items, runOptions);
        var embeddings = tensors.Allocate([batch, width, hidden]);
        var mask = new long[batch * width];
        var positions = new long[batch * width];
        AssemblePrefill(items, imageEmbeds, textEmbeds, embeddings, lengths, width, mask, positions);
        return new PrefillInputs(embeddings, mask, positions, lengths, width, visionMs);
    }

    private OrtValue RunVision(IReadOnlyList<GenerationItem> items, RunOptions runOptions, out double ms)
    {
        var sw = Stopwatch.StartNew();
        int s = manifest.Image.Size, plane = 3 * s * s;
        var pixels = new float[items.Count * plane];
        for (int i = 0; i < items.Count; i++)
        {
            items[i].PixelValues.CopyTo(pixels, i * plane);
        }

        using var input = tensors.FromFloats(pixels, [items.Count, 3, s, s]);
        using var outputs = vision.Run(runOptions, [ModelContract.PixelValues], [input], [ModelContract.ImageEmbeds]);
        var embeds = outputs[0];
        var shape = embeds.GetTensorTypeAndShape().Shape;
        if (shape.Length != 3 || shape[0] != items.Count || shape[1] != manifest.Image.Tokens || shape[2] != manifest.Decoder.HiddenSize)
        {
            throw new InferenceException(
                $"vision.onnx returned image_embeds [{string.Join(",", shape)}], manifest expects [{items.Count},{manifest.Image.Tokens},{manifest.Decoder.HiddenSize}]");
        }

        // Detach from the disposable list: copy into a tensor we own (once per batch, host side).
        var owned = tensors.Allocate(shape);
        Tensors.RawBytes(embeds).CopyTo(owned.GetTensorMutableRawData());
        ms = sw.Elapsed.TotalMilliseconds;
        return owned;
    }

    /// <summary>All text segments of the batch in one embedding call ([1, total ids]).</summary>
    private OrtValue RunEmbedSegments(IReadOnlyList<GenerationItem> items, RunOptions runOptions)
    {
        var ids = items.SelectMany(i => i.Prompt.Before.Concat(i.Prompt.After)).Select(x => (long)x).ToArray();
        using var input = Tensors.FromInt64(ids, [1, ids.Length]);
        using var outputs = embed.Run(runOptions, [ModelContract.InputIds], [input], [ModelContract.InputsEmbeds]);
        var owned = tensors.Allocate([1, ids.Length, manifest.Decoder.HiddenSize]);
        Tensors.RawBytes(outputs[0]).CopyTo(owned.GetTensorMutableRawData());
        return owned;
    }

    private void AssemblePrefill(IReadOnlyList<GenerationItem> items, OrtValue imageEmbeds, OrtValue textEmbeds, OrtValue prefill,
        int[] lengths, int width, long[] mask, long[] positions)
    {
        int es = tensors.FloatSize, hidden = manifest.Decoder.HiddenSize, n = manifest.Image.Tokens;
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
}
