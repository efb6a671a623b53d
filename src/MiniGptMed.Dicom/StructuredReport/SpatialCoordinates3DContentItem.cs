using System.Globalization;
using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.StructuredReport;

/// <summary>An SCOORD3D item (PS3.3 C.18.9): x,y,z points in mm in a frame of reference.</summary>
public sealed class SpatialCoordinates3DContentItem : ContentItem
{
    internal SpatialCoordinates3DContentItem(DicomDataset dataset)
        : base(dataset)
    {
    }

    /// <summary>Graphic Type (0070,0023): POINT, MULTIPOINT, POLYLINE, POLYGON, ELLIPSE or ELLIPSOID.</summary>
    public string GraphicType => Dataset.GetString(DicomTags.GraphicType) ?? string.Empty;

    public float[] GraphicData => Dataset.GetValues<float>(DicomTags.GraphicData);

    public string FrameOfReferenceUid => Dataset.GetString(DicomTags.ReferencedFrameOfReferenceUID) ?? string.Empty;

    public override string DescribeValue() =>
        GraphicType + " " + string.Join(' ', GraphicData.Select(v => v.ToString("0.##", CultureInfo.InvariantCulture))) + " in " + FrameOfReferenceUid;

    internal static void Validate(string graphicType, IReadOnlyList<float> data)
    {
        // PS3.3 C.18.9.1.2: x,y,z triplets, as many as the graphic type needs.
        var points = data.Count / 3;
        var valid = (data.Count % 3 == 0) && graphicType switch
        {
            "POINT" => points == 1,
            "MULTIPOINT" => points >= 1,
            "POLYLINE" => points >= 2,
            "POLYGON" => points >= 3,
            "ELLIPSE" => points == 4,
            "ELLIPSOID" => points == 6,
            _ => false,
        };
        if (!valid || data.Any(v => !float.IsFinite(v)))
        {
            throw new ArgumentException($"SCOORD3D {graphicType} with {data.Count} values is not valid (PS3.3 C.18.9.1.2).");
        }
    }
}
