using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using MiniGptMed.Inference;
using MiniGptMed.Inference.Generation;
using MiniGptMed.Inference.Imaging;
using MiniGptMed.Inference.Model;
using MiniGptMed.Inference.Output;
using MiniGptMed.Inference.Runtime;
using SkiaSharp;

namespace MiniGptMed.DicomNode.Cli;

/// <summary>
/// <c>minigptmed analyze</c>: DICOM input (a file, a series or study folder) is analysed and written as DICOM results
/// (<see cref="AnalyzeDicomCommand"/>); a PNG/JPEG goes through the model as before: text, boxes in pixels, timings.
/// </summary>
internal static class AnalyzeCommand
{
    public static Command Create(CliContext cli)
    {
        var options = new AnalyzeOptions();
        var command = options.CreateCommand("analyze",
            "Run MiniGPT-Med on DICOM (a file, a series or study folder: SR, SC and GSPS written into --out) or on a PNG/JPEG (text, boxes in pixels, timings).");
        command.SetAction((parse, cancellationToken) => RunAsync(options.Read(parse), cli.Out, cli.Error, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(AnalyzeArguments parsed, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (IsPngOrJpeg(parsed.Input))
        {
            if (parsed.PixelOptionsGiven || parsed.Tasks.Count != 1)
            {
                throw new CommandLineException("a PNG/JPEG takes one --task and no --out, --window or --slices (those are for DICOM input).");
            }

            return await RunImageAsync(parsed, stdout, stderr, cancellationToken).ConfigureAwait(false);
        }

        if (parsed.OutputDirectory is null)
        {
            throw new CommandLineException("--out DIR is required for DICOM input.");
        }

        return await AnalyzeDicomCommand.RunAsync(parsed, stdout, stderr, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>PNG (89 50 4E 47) or JPEG (FF D8 FF) by signature; anything else is read as DICOM.</summary>
    internal static bool IsPngOrJpeg(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        Span<byte> head = stackalloc byte[4];
        using var stream = File.OpenRead(path);
        var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return read >= 3 && ((head[0] == 0x89 && head[1] == 0x50 && head[2] == 0x4E) || (head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF))
            || (read >= 1 && IsImageExtension(path));
    }

    private static bool IsImageExtension(string path) =>
        Path.GetExtension(path).ToUpperInvariant() is ".PNG" or ".JPG" or ".JPEG";

    private static async Task<int> RunImageAsync(AnalyzeArguments parsed, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        RgbImage image;
        try
        {
            image = DecodeImage(parsed.Input);
        }
        catch (InvalidDataException ex)
        {
            await stderr.WriteLineAsync($"minigptmed analyze: {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        try
        {
            // Warnings (the CUDA fallback) go to stderr so that --json output stays clean.
            using var engine = MiniGptMedEngine.Load(parsed.ModelDirectory, new InferenceOptions { ExecutionProvider = parsed.Provider },
                new StderrLogger(stderr, LogLevel.Warning));
            var task = parsed.Tasks[0];
            var request = new AnalysisRequest(image, task.Task, task.Prompt, task.Box,
                parsed.MaxNewTokens is { } max ? new GenerationOptions { MaxNewTokens = max } : null);
            var result = await engine.AnalyzeAsync(request, cancellationToken).ConfigureAwait(false);
            if (parsed.Json)
            {
                await stdout.WriteLineAsync(ToJson(parsed.Input, image, engine, result)).ConfigureAwait(false);
            }
            else
            {
                await WriteText(stdout, image, engine, result).ConfigureAwait(false);
            }

            return 0;
        }
        catch (InferenceException ex)
        {
            await stderr.WriteLineAsync($"minigptmed analyze: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    private static async Task WriteText(TextWriter stdout, RgbImage image, MiniGptMedEngine engine, AnalysisResult result)
    {
        var inv = CultureInfo.InvariantCulture;
        await stdout.WriteLineAsync($"instruction: {result.Instruction}").ConfigureAwait(false);
        await stdout.WriteLineAsync($"answer: {result.Output.Text}").ConfigureAwait(false);
        await stdout.WriteLineAsync($"raw: {result.RawText}").ConfigureAwait(false);
        foreach (var f in result.Output.Findings)
        {
            for (int i = 0; i < f.Boxes.Count; i++)
            {
                var px = f.PixelBoxes[i];
                await stdout.WriteLineAsync(string.Create(inv,
                    $"box: {f.Phrase ?? "(no phrase)"} {f.Boxes[i]} -> pixels {px.X1:0.#},{px.Y1:0.#},{px.X2:0.#},{px.Y2:0.#} of {image.Width}x{image.Height}")).ConfigureAwait(false);
            }
        }

        foreach (var p in result.Output.Problems)
        {
            await stdout.WriteLineAsync($"warning: {p}").ConfigureAwait(false);
        }

        var t = result.Timings;
        await stdout.WriteLineAsync(string.Create(inv,
            $"timing: prefill {t.PrefillMs:F1} ms, decode {t.TokensOut} tokens in {t.DecodeMs:F1} ms ({t.DecodeTokensPerSecond:F1} tokens/s), {result.Finish}, {engine.Provider}")).ConfigureAwait(false);
    }

    // Written with Utf8JsonWriter rather than serialising anonymous types: reflection-based System.Text.Json is not
    // available under Native AOT, and the shape is small and fixed.
    private static string ToJson(string path, RgbImage image, MiniGptMedEngine engine, AnalysisResult result)
    {
        var t = result.Timings;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartObject("image");
            w.WriteString("path", path);
            w.WriteNumber("width", image.Width);
            w.WriteNumber("height", image.Height);
            w.WriteEndObject();
            w.WriteString("model", engine.Manifest.Name);
            w.WriteString("provider", engine.Provider.ToString());
            w.WriteString("task", result.Task.ToManifestKey());
            w.WriteString("instruction", result.Instruction);
            w.WriteString("text", result.Output.Text);
            w.WriteString("raw", result.RawText);
            w.WriteStartArray("findings");
            foreach (var f in result.Output.Findings)
            {
                w.WriteStartObject();
                w.WriteString("phrase", f.Phrase);
                w.WriteStartArray("boxes");
                for (var i = 0; i < f.Boxes.Count; i++)
                {
                    var b = f.Boxes[i];
                    var p = f.PixelBoxes[i];
                    w.WriteStartObject();
                    w.WriteStartArray("model");
                    w.WriteNumberValue(b.X1);
                    w.WriteNumberValue(b.Y1);
                    w.WriteNumberValue(b.X2);
                    w.WriteNumberValue(b.Y2);
                    w.WriteEndArray();
                    w.WriteStartArray("pixels");
                    w.WriteNumberValue(Math.Round(p.X1, 1));
                    w.WriteNumberValue(Math.Round(p.Y1, 1));
                    w.WriteNumberValue(Math.Round(p.X2, 1));
                    w.WriteNumberValue(Math.Round(p.Y2, 1));
                    w.WriteEndArray();
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("problems");
            foreach (var problem in result.Output.Problems)
            {
                w.WriteStringValue(problem);
            }

            w.WriteEndArray();
            w.WriteString("finish", result.Finish.ToString());
            w.WriteStartObject("timings");
            w.WriteNumber("prefill_ms", t.PrefillMs);
            w.WriteNumber("decode_ms", t.DecodeMs);
            w.WriteNumber("tokens_out", t.TokensOut);
            w.WriteNumber("decode_tokens_per_second", t.DecodeTokensPerSecond);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>PNG/JPEG to 8-bit RGB (alpha dropped, not premultiplied; grayscale replicated by Skia's conversion).</summary>
    internal static RgbImage DecodeImage(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"image not found: {path}");
        }

        using var codec = SKCodec.Create(path) ?? throw new InvalidDataException($"{path} is not a PNG or JPEG image Skia can decode");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        if (info.Width > 16384 || info.Height > 16384)
        {
            throw new InvalidDataException($"{path} is {info.Width}x{info.Height}; at most 16384 pixels per side are accepted");
        }

        using var bitmap = new SKBitmap(info);
        var status = codec.GetPixels(info, bitmap.GetPixels());
        if (status is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
        {
            throw new InvalidDataException($"{path} cannot be decoded: {status}");
        }

        var rgba = bitmap.GetPixelSpan();
        var rgb = new byte[info.Width * info.Height * 3];
        for (int i = 0, j = 0; i < rgb.Length; i += 3, j += 4)
        {
            rgb[i] = rgba[j];
            rgb[i + 1] = rgba[j + 1];
            rgb[i + 2] = rgba[j + 2];
        }

        return new RgbImage(info.Width, info.Height, rgb);
    }
}
