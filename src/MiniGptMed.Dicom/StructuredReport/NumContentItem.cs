using System.Globalization;
using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.StructuredReport;

/// <summary>
/// A NUM item (PS3.3 C.18.1): a number with its units (UCUM) in the Measured Value Sequence (0040,A300).
/// </summary>
public sealed class NumContentItem : ContentItem
{
    internal NumContentItem(DicomDataset dataset)
        : base(dataset)
    {
    }

    /// <summary>The value: Floating Point Value (0040,A161) where written, else Numeric Value (0040,A30A); null when absent.</summary>
    public double? Value
    {
        get
        {
            var measured = MeasuredValue;
            if (measured is null)
            {
                return null;
            }

            if (measured.TryGetValue<double>(DicomTags.FloatingPointValue, out var floating))
            {
                return floating;
            }

            return measured.TryGetValue<double>(DicomTags.NumericValue, out var numeric) ? numeric : null;
        }
    }

    public CodedConcept? Units => MeasuredValue is { } measured ? CodedConcept.ReadSequence(measured, DicomTags.MeasurementUnitsCodeSequence) : null;

    private DicomDataset? MeasuredValue => Dataset.GetSequence(DicomTags.MeasuredValueSequence) is { Items.Count: > 0 } s ? s.Items[0] : null;

    public override string DescribeValue() =>
        Value is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v} {Units?.Value}") : "(no value)";

    internal static void WriteMeasuredValue(DicomDataset dataset, double value, CodedConcept units)
    {
        var measured = SrDatasets.AppendItem(dataset, DicomTags.MeasuredValueSequence);
        units.WriteAsSequence(measured, DicomTags.MeasurementUnitsCodeSequence);
        var text = DicomValueParser.FormatDecimalString(value);
        measured.AddOrUpdate(DicomTags.NumericValue, DicomVR.DS, text);
        if (DicomValueParser.ParseDecimalString(text) != value)
        {
            // PS3.3 C.18.1.1: the Floating Point Value carries what the 16 characters of DS cannot.
            measured.AddOrUpdate(DicomTags.FloatingPointValue, DicomVR.FD, value);
        }
    }
}
