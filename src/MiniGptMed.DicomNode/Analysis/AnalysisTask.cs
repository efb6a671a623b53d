using System.Globalization;
using MiniGptMed.Inference.Model;
using MiniGptMed.Inference.Output;

namespace MiniGptMed.DicomNode.Analysis;

/// <summary>
/// One thing to ask of every chosen image: a task, its instruction text (the detection phrase, the VQA question;
/// null for the task's default) and, for identify, the input box in source pixels.
/// </summary>
internal sealed record AnalysisTask(MedTask Task, string? Prompt = null, PixelBox? Box = null)
{
    /// <summary>A stable text form (task, prompt, box) for logs, UID derivation and the SR's algorithm parameters.</summary>
    public string Key =>
        Task.ToManifestKey()
        + (Prompt is null ? string.Empty : ":" + Prompt)
        + (Box is { } b ? string.Create(CultureInfo.InvariantCulture, $"@{b.X1:R},{b.Y1:R},{b.X2:R},{b.Y2:R}") : string.Empty);

    public override string ToString() => Key;
}
