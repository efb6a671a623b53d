namespace MiniGptMed.Dicom.StructuredReport;

/// <summary>
/// The value types of content items that this toolkit reads and writes as typed views (PS3.3 C.17.3.2.1,
/// Value Type (0040,A040)). Items of other value types (TCOORD, WAVEFORM, TABLE) are read as
/// <see cref="OtherContentItem"/>.
/// </summary>
public static class ContentValueType
{
    public const string Container = "CONTAINER";
    public const string Text = "TEXT";
    public const string Code = "CODE";
    public const string Num = "NUM";
    public const string UidRef = "UIDREF";
    public const string DateTime = "DATETIME";
    public const string Date = "DATE";
    public const string Time = "TIME";
    public const string PersonName = "PNAME";
    public const string Image = "IMAGE";
    public const string Scoord = "SCOORD";
    public const string Scoord3D = "SCOORD3D";
    public const string Composite = "COMPOSITE";
}
