using System.Globalization;
using MiniGptMed.Inference.Model;
using MiniGptMed.Inference.Output;

namespace MiniGptMed.Inference.Text;

/// <summary>The token ids around the image: <c>Before</c> + image embeddings + <c>After</c>.</summary>
public sealed record PromptTokens(string Instruction, IReadOnlyList<int> Before, IReadOnlyList<int> After);

/// <summary>
/// Builds MiniGPT-Med prompts (MODEL.md "Prompt"): the template <c>&lt;s&gt;[INST] &lt;Img&gt;&lt;ImageHere&gt;&lt;/Img&gt; {instruction} [/INST]</c>
/// is split at the image placeholder and each side is tokenized on its own, BOS only on the first.
/// The instruction is the task tag (none for reports), a space, then the user's text or the task's
/// default; identify carries its input box as <c>{&lt;x1&gt;&lt;y1&gt;&lt;x2&gt;&lt;y2&gt;}</c> in 0..100 units.
/// </summary>
public sealed class PromptBuilder
{
    public const string BoxPlaceholder = "{box}";
    private readonly ModelManifest _manifest;
    private readonly MedTokenizer _tokenizer;

    public PromptBuilder(ModelManifest manifest, MedTokenizer tokenizer)
    {
        _manifest = manifest;
        _tokenizer = tokenizer;
    }

    public static string Instruction(ManifestTask task, string? userText, string? boxText)
    {
        var text = string.IsNullOrWhiteSpace(userText) ? task.DefaultInstruction : userText.Trim();
        if (boxText is not null)
        {
            text = text.Contains(BoxPlaceholder, StringComparison.Ordinal)
                ? text.Replace(BoxPlaceholder, boxText, StringComparison.Ordinal)
                : $"{text} {boxText}";
        }
        else if (text.Contains(BoxPlaceholder, StringComparison.Ordinal))
        {
            throw new InvalidRequestException("the instruction refers to {box} but the request has no box");
        }

        return task.Tag.Length == 0 ? text : $"{task.Tag} {text}";
    }

    /// <summary>A box given in source-image pixels as the model writes it: int(v / size * 100), clamped.</summary>
    public static string BoxText(PixelBox box, int width, int height)
    {
        if (!box.IsFinite || box.X2 <= box.X1 || box.Y2 <= box.Y1)
        {
            throw new InvalidRequestException($"box {box} is empty or not ordered as x1,y1,x2,y2 with x1<x2 and y1<y2");
        }

        static int Unit(double v, int size) => Math.Clamp((int)(v / size * 100), 0, 100);
        return string.Create(CultureInfo.InvariantCulture,
            $"{{<{Unit(box.X1, width)}><{Unit(box.Y1, height)}><{Unit(box.X2, width)}><{Unit(box.Y2, height)}>}}");
    }

    public PromptTokens Build(MedTask task, string? userText, string? boxText, int maxPromptTokens)
    {
        var instruction = Instruction(_manifest.Task(task), userText, boxText);
        var p = _manifest.Prompt;
        var full = p.Template.Replace("{instruction}", instruction, StringComparison.Ordinal);
        var at = full.IndexOf(p.ImagePlaceholder, StringComparison.Ordinal);
        var before = _tokenizer.EncodeSegment(full[..at], p.BosOnFirstSegment);
        var after = _tokenizer.EncodeSegment(full[(at + p.ImagePlaceholder.Length)..], addBos: false);
        if (before.Count + after.Count > maxPromptTokens)
        {
            throw new InvalidRequestException($"prompt is {before.Count + after.Count} tokens, limit is {maxPromptTokens}");
        }

        return new PromptTokens(instruction, before, after);
    }
}
