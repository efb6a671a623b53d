using MiniGptMed.Dicom.Composition;

namespace MiniGptMed.DicomNode.Validation;

/// <summary>A question about one image and the answer that counts as right.</summary>
internal sealed record VqaLabel(string Question, string Answer);

/// <summary>
/// What is known to be in one frame: its labelled boxes in source pixels (PS3.3 C.18.6.1.2 coordinates, the top-left
/// corner of the top-left pixel at 0,0), the count, a reference report sentence and questions with their answers.
/// </summary>
/// <param name="Entry">The entry's position in the file (0-based), for messages.</param>
/// <param name="Frame">1-based frame number.</param>
/// <param name="Group">An optional name the summary breaks the scores down by (a geometry case, a site, a scanner).</param>
internal sealed record ImageLabel(int Entry, string SopInstanceUid, int Frame, IReadOnlyList<PixelRectangle> Boxes,
    string? Report, IReadOnlyList<VqaLabel> Vqa, string? Group)
{
    /// <summary>"images[3] (SOP Instance UID 1.2.3, frame 1)": how messages name the entry.</summary>
    public string Name => $"images[{Entry}] (SOP Instance UID {SopInstanceUid}, frame {Frame})";
}

/// <summary>A labelled set: the finding the boxes show (the detection phrase and identify's answer) and the images.</summary>
internal sealed record LabelSet(string Finding, IReadOnlyList<ImageLabel> Images);

/// <summary>A labels file that cannot be used; the message names the file and every bad entry.</summary>
internal sealed class LabelException(string message) : Exception(message);
