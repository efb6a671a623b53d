using System.Globalization;
using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.StructuredReport;

/// <summary>
/// An SCOORD item (PS3.3 C.18.6): 2D points in the image pixel coordinates of the IMAGE it is SELECTED FROM
/// (column then row, sub-pixel, 0,0 the top left corner of the top left pixel, PS3.3 C.18.6.1.2).
/// </summary>
public sealed class SpatialCoordinatesContentItem : ContentItem
{
    internal SpatialCoordinatesContentItem(DicomDataset dataset)
        : base(dataset)
    {
    }

    /// <summary>Graphic Type (0070,0023): POINT, MULTIPOINT, POLYLINE, CIRCLE or ELLIPSE.</summary>
    public string GraphicType => Dataset.GetString(DicomTags.GraphicType) ?? string.Empty;

    /// <summary>Graphic Data (0070,0022): x,y pairs.</summary>
    public float[] GraphicData => Dataset.GetValues<float>(DicomTags.GraphicData);

    public override string DescribeValue() =>
        GraphicType + " " + string.Join(' ', GraphicData.Select(v => v.ToString("0.##", CultureInfo.InvariantCulture)));

    internal static void Validate(string graphicType, IReadOnlyList<float> data)
    {
        // PS3.3 C.18.6.1.1: the number of points each graphic type needs.
        var points = data.Count / 2;
        var valid = (data.Count % 2 == 0) && graphicType switch
        {
            "POINT" => points == 1,
            "MULTIPOINT" or "POLYLINE" => points >= 1 && (graphicType == "MULTIPOINT" || points >= 2),
            "CIRCLE" => points == 2,
            "ELLIPSE" => points == 4,
            _ => false,
        };
        if (!valid || data.Any(v => !float.IsFinite(v)))
        {
            throw new ArgumentException($"SCOORD {graphicType} with {data.Count} values is not valid (PS3.3 C.18.6.1.1: x,y pairs, finite, as many as the graphic type needs).");
        }
    }
}
