using MiniGptMed.Dicom.Imaging;
using MiniGptMed.Dicom.Imaging.Lut;

namespace MiniGptMed.DicomNode.Analysis;

/// <summary>One frame chosen for the model: its instance, frame (0-based index), source reference and window.</summary>
internal sealed record PlannedImage(SourceSeries Series, SourceInstance Instance, int FrameIndex, SourceReference Source, WindowPreset Window);

/// <summary>The frames chosen from a study, in series then volume order, and what was left out and why.</summary>
internal sealed record AnalysisPlan(SourceStudy Study, IReadOnlyList<PlannedImage> Images, IReadOnlyList<string> Notes);
