using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MiniGptMed.Inference.Model;

/// <summary>
/// Checks the three ONNX sessions against the manifest and the contract of shared/MODEL.md ("ONNX form
/// the node loads"): names, element types and every fixed dimension. A mismatch silently ruins output,
/// so loading fails and lists every difference found.
/// </summary>
internal static class ModelContract
{
    public const string PixelValues = "pixel_values";
    public const string ImageEmbeds = "image_embeds";
    public const string InputIds = "input_ids";
    public const string InputsEmbeds = "inputs_embeds";
    public const string AttentionMask = "attention_mask";
    public const string PositionIds = "position_ids";
    public const string Logits = "logits";

    public static string PastKey(int layer) => $"past_key_values.{layer}.key";

    public static string PastValue(int layer) => $"past_key_values.{layer}.value";

    public static string PresentKey(int layer) => $"present.{layer}.key";

    public static string PresentValue(int layer) => $"present.{layer}.value";

    public static IReadOnlyList<string> Check(ModelManifest m, InferenceSession vision, InferenceSession embed, InferenceSession decoder)
    {
        var errors = new List<string>();
        var floatType = m.IsFloat16 ? TensorElementType.Float16 : TensorElementType.Float;
        var s = m.Image.Size;
        var h = m.Decoder.HiddenSize;
        var d = m.Decoder;

        Expect(errors, "vision.onnx", vision.InputMetadata, PixelValues, floatType, [-1, 3, s, s]);
        Expect(errors, "vision.onnx", vision.OutputMetadata, ImageEmbeds, floatType, [-1, m.Image.Tokens, h]);
        Expect(errors, "embed_tokens.onnx", embed.InputMetadata, InputIds, TensorElementType.Int64, [-1, -1]);
        Expect(errors, "embed_tokens.onnx", embed.OutputMetadata, InputsEmbeds, floatType, [-1, -1, h]);

        const string dec = "decoder.onnx";
        Expect(errors, dec, decoder.InputMetadata, InputsEmbeds, floatType, [-1, -1, h]);
        Expect(errors, dec, decoder.InputMetadata, AttentionMask, TensorElementType.Int64, [-1, -1]);
        if (decoder.InputMetadata.ContainsKey(PositionIds))
        {
            Expect(errors, dec, decoder.InputMetadata, PositionIds, TensorElementType.Int64, [-1, -1]);
        }

        Expect(errors, dec, decoder.OutputMetadata, Logits, floatType, [-1, -1, d.VocabSize]);
        int[] kvShape = [-1, d.KvHeads, -1, d.HeadDim];
        for (int i = 0; i < d.Layers; i++)
        {
            Expect(errors, dec, decoder.InputMetadata, PastKey(i), floatType, kvShape);
            Expect(errors, dec, decoder.InputMetadata, PastValue(i), floatType, kvShape);
            Expect(errors, dec, decoder.OutputMetadata, PresentKey(i), floatType, kvShape);
            Expect(errors, dec, decoder.OutputMetadata, PresentValue(i), floatType, kvShape);
        }

        var pastInputs = decoder.InputMetadata.Keys.Count(k => k.StartsWith("past_key_values.", StringComparison.Ordinal));
        if (pastInputs != 2 * d.Layers)
        {
            errors.Add($"{dec} has {pastInputs} past_key_values inputs, manifest decoder.layers={d.Layers} needs {2 * d.Layers}");
        }

        return errors;
    }

    /// <summary>
    /// Where the exporter left image_embeds' N or H symbolic, one zero image through the vision encoder
    /// tells them; a wrong image.tokens would otherwise only show on the first request.
    /// </summary>
    public static string? ProbeVision(ModelManifest m, InferenceSession vision, Runtime.Tensors tensors)
    {
        var dims = vision.OutputMetadata[ImageEmbeds].Dimensions;
        if (dims.Length == 3 && dims[1] >= 0 && dims[2] >= 0)
        {
            return null;
        }

        int s = m.Image.Size;
        using var input = tensors.FromFloats(new float[3 * s * s], [1, 3, s, s]);
        using var runOptions = new RunOptions();
        using var outputs = vision.Run(runOptions, [PixelValues], [input], [ImageEmbeds]);
        var shape = outputs[0].GetTensorTypeAndShape().Shape;
        return shape.Length == 3 && shape[1] == m.Image.Tokens && shape[2] == m.Decoder.HiddenSize
            ? null
            : $"vision.onnx 'image_embeds' is [{string.Join(",", shape)}] for one image, manifest image.tokens={m.Image.Tokens} and decoder.hidden_size={m.Decoder.HiddenSize} need [1,{m.Image.Tokens},{m.Decoder.HiddenSize}]";
    }

    private static void Expect(List<string> errors, string file, IReadOnlyDictionary<string, NodeMetadata> metadata, string name,
        TensorElementType type, int[] dims)
    {
        if (!metadata.TryGetValue(name, out var node))
        {
            errors.Add($"{file} has no '{name}' (has: {string.Join(", ", metadata.Keys.Take(8))}{(metadata.Count > 8 ? ", ..." : "")})");
            return;
        }

        if (!node.IsTensor || node.ElementDataType != type)
        {
            errors.Add($"{file} '{name}' is {node.ElementDataType}, expected {type}");
            return;
        }

        var actual = node.Dimensions;
        if (actual.Length != dims.Length)
        {
            errors.Add($"{file} '{name}' has rank {actual.Length} [{Show(actual)}], expected rank {dims.Length} [{Show(dims)}]");
            return;
        }

        for (int i = 0; i < dims.Length; i++)
        {
            // -1 in the expectation: any size (batch, sequence); -1 (symbolic) in the model: checked at run time.
            if (dims[i] >= 0 && actual[i] >= 0 && actual[i] != dims[i])
            {
                errors.Add($"{file} '{name}' is [{Show(actual)}], expected [{Show(dims)}] (dimension {i}: {actual[i]} != {dims[i]})");
                return;
            }
        }
    }

    private static string Show(int[] dims) => string.Join(",", dims.Select(x => x < 0 ? "?" : x.ToString(System.Globalization.CultureInfo.InvariantCulture)));
}
