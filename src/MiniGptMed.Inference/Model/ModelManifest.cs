using System.Text.Json;
using System.Text.Json.Serialization;

namespace MiniGptMed.Inference.Model;

/// <summary>
/// manifest.json of a model directory (schema: models/README.md). It carries every fact of the model
/// that the ONNX graphs do not: preprocessing, prompt template, task tags, token ids, so that the
/// real export and the small test model differ only in their manifest and weights.
/// </summary>
public sealed record ModelManifest
{
    public const string FileName = "manifest.json";
    public const string SupportedFormat = "minigptmed-onnx/1";

    public required string Format { get; init; }

    public string Name { get; init; } = "";

    /// <summary><c>float32</c> or <c>float16</c>: the element type of pixels, embeddings, logits and the KV cache.</summary>
    public required string Dtype { get; init; }

    public required ManifestFiles Files { get; init; }

    public required ManifestImage Image { get; init; }

    public required ManifestDecoder Decoder { get; init; }

    public required ManifestTokens Tokens { get; init; }

    public required ManifestPrompt Prompt { get; init; }

    public required IReadOnlyDictionary<string, ManifestTask> Tasks { get; init; }

    /// <summary>
    /// Every file of the model folder but the manifest and its notes, by file name, with its size and SHA-256 (written
    /// by the export or tools/model_manifest.py). Null in a manifest older than the field: the files are then not checked
    /// at load, and a version derived from the manifest's hash covers the manifest only.
    /// </summary>
    public IReadOnlyDictionary<string, ManifestWeightFile>? Weights { get; init; }

    [JsonIgnore]
    public bool IsFloat16 => Dtype == "float16";

    /// <summary>Reads and checks the manifest; every problem found is listed in one exception.</summary>
    public static ModelManifest Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new ModelLoadException($"model manifest not found: {path}");
        }

        ModelManifest? manifest;
        try
        {
            using var stream = File.OpenRead(path);
            manifest = JsonSerializer.Deserialize(stream, ModelManifestJsonContext.Default.ModelManifest);
        }
        catch (JsonException ex)
        {
            throw new ModelLoadException($"model manifest {path} is not valid: {ex.Message}", ex);
        }

        if (manifest is null)
        {
            throw new ModelLoadException($"model manifest {path} is empty");
        }

        var errors = manifest.Validate();
        if (errors.Count > 0)
        {
            throw new ModelLoadException($"model manifest {path} is invalid: {string.Join("; ", errors)}");
        }

        return manifest;
    }

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Format != SupportedFormat)
        {
            errors.Add($"format is '{Format}', expected '{SupportedFormat}'");
        }

        if (Dtype is not ("float32" or "float16"))
        {
            errors.Add($"dtype is '{Dtype}', expected float32 or float16");
        }

        if (Image.Size is < 1 or > 4096)
        {
            errors.Add($"image.size {Image.Size} is outside 1..4096");
        }

        if (Image.Mean is not { Length: 3 } || Image.Std is not { Length: 3 } || Image.Std.Any(s => s <= 0))
        {
            errors.Add("image.mean and image.std need three values each, std positive");
        }

        if (Image.Resize != "bicubic-stretch")
        {
            errors.Add($"image.resize '{Image.Resize}' is not supported (bicubic-stretch)");
        }

        if (Image.Tokens < 1)
        {
            errors.Add("image.tokens must be positive");
        }

        if (Decoder.HiddenSize < 1 || Decoder.Layers < 1 || Decoder.KvHeads < 1 || Decoder.HeadDim < 1 || Decoder.VocabSize < 3)
        {
            errors.Add("decoder sizes (hidden_size, layers, kv_heads, head_dim, vocab_size) must be positive");
        }

        foreach (var (name, id) in new[] { ("bos", Tokens.Bos), ("eos", Tokens.Eos), ("pad", Tokens.Pad) })
        {
            if (id < 0 || id >= Decoder.VocabSize)
            {
                errors.Add($"tokens.{name} {id} is outside the vocabulary (0..{Decoder.VocabSize - 1})");
            }
        }

        var placeholderCount = CountOccurrences(Prompt.Template, Prompt.ImagePlaceholder);
        if (placeholderCount != 1)
        {
            errors.Add($"prompt.template must contain '{Prompt.ImagePlaceholder}' exactly once (found {placeholderCount})");
        }

        if (!Prompt.Template.Contains("{instruction}", StringComparison.Ordinal))
        {
            errors.Add("prompt.template lacks '{instruction}'");
        }

        foreach (var task in Enum.GetValues<MedTask>())
        {
            if (!Tasks.TryGetValue(task.ToManifestKey(), out var t))
            {
                errors.Add($"tasks.{task.ToManifestKey()} is missing");
            }
            else if (t.MaxNewTokens < 1)
            {
                errors.Add($"tasks.{task.ToManifestKey()}.max_new_tokens must be positive");
            }
        }

        foreach (var (name, file) in Weights ?? new Dictionary<string, ManifestWeightFile>())
        {
            // A file of this folder, never a path: the manifest must not make the loader look elsewhere.
            if (name.Length == 0 || name is "." or ".." || name.IndexOfAny(['/', '\\']) >= 0)
            {
                errors.Add($"weights: '{name}' is not a file name of the model folder");
            }

            if (file.Size < 0)
            {
                errors.Add($"weights.{name}.size {file.Size} is negative");
            }

            if (file.Sha256 is not { Length: 64 } hash || !hash.All(char.IsAsciiHexDigit))
            {
                errors.Add($"weights.{name}.sha256 is not 64 hexadecimal digits");
            }
        }

        return errors;
    }

    /// <summary>
    /// Each file <see cref="Weights"/> lists against <paramref name="directory"/>: present, with the listed size. Sizes
    /// only, a stat per file (hashing gigabytes at every start would not be cheap): enough to refuse a half-copied or
    /// truncated model, naming the file. Empty when the manifest lists nothing.
    /// </summary>
    public IReadOnlyList<string> CheckFiles(string directory)
    {
        var errors = new List<string>();
        foreach (var (name, file) in (Weights ?? new Dictionary<string, ManifestWeightFile>()).OrderBy(w => w.Key, StringComparer.Ordinal))
        {
            var info = new FileInfo(Path.Combine(directory, name));
            if (!info.Exists)
            {
                errors.Add($"{name} is missing ({FileName} lists it with {file.Size} bytes)");
            }
            else if (info.Length != file.Size)
            {
                errors.Add($"{name} is {info.Length} bytes, {FileName} lists {file.Size}");
            }
        }

        return errors;
    }

    public ManifestTask Task(MedTask task) => Tasks[task.ToManifestKey()];

    private static int CountOccurrences(string text, string value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return 0;
        }

        int count = 0, index = 0;
        while ((index = text.IndexOf(value, index, StringComparison.Ordinal)) >= 0)
        {
            count++;
            index += value.Length;
        }

        return count;
    }
}

public sealed record ManifestFiles
{
    public string Vision { get; init; } = "vision.onnx";

    public string EmbedTokens { get; init; } = "embed_tokens.onnx";

    public string Decoder { get; init; } = "decoder.onnx";

    public string Tokenizer { get; init; } = "tokenizer.model";
}

public sealed record ManifestImage
{
    public required int Size { get; init; }

    public required float[] Mean { get; init; }

    public required float[] Std { get; init; }

    public string Resize { get; init; } = "bicubic-stretch";

    /// <summary>Image embeddings per image after the 4-token merge (256 for MiniGPT-Med).</summary>
    public required int Tokens { get; init; }
}

public sealed record ManifestDecoder
{
    public required int HiddenSize { get; init; }

    public required int Layers { get; init; }

    public required int KvHeads { get; init; }

    public required int HeadDim { get; init; }

    public required int VocabSize { get; init; }
}

public sealed record ManifestTokens
{
    public int Bos { get; init; } = 1;

    public int Eos { get; init; } = 2;

    public int Pad { get; init; }
}

public sealed record ManifestPrompt
{
    public required string Template { get; init; }

    public string ImagePlaceholder { get; init; } = "<ImageHere>";

    /// <summary>
    /// Whether the first text segment gets a BOS besides a literal <c>&lt;s&gt;</c> in the template.
    /// Hugging Face's tokenizer with add_special_tokens=True does both (so the reference model sees two BOS).
    /// </summary>
    public bool BosOnFirstSegment { get; init; }
}

public sealed record ManifestTask
{
    public string Tag { get; init; } = "";

    public required string DefaultInstruction { get; init; }

    public required int MaxNewTokens { get; init; }
}

/// <summary>One entry of <see cref="ModelManifest.Weights"/>: the file's size in bytes and its SHA-256 (lower-case hex).</summary>
public sealed record ManifestWeightFile
{
    public required long Size { get; init; }

    [JsonPropertyName("sha256")]
    public required string Sha256 { get; init; }
}
