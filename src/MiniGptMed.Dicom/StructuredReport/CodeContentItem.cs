using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.StructuredReport;

/// <summary>A CODE item (PS3.3 C.17.3.2.1): a coded value in Concept Code Sequence (0040,A168).</summary>
public sealed class CodeContentItem : ContentItem
{
    internal CodeContentItem(DicomDataset dataset)
        : base(dataset)
    {
    }

    public CodedConcept? Code => CodedConcept.ReadSequence(Dataset, DicomTags.ConceptCodeSequence);

    public override string DescribeValue() => Code?.ToString() ?? "(no code)";
}
