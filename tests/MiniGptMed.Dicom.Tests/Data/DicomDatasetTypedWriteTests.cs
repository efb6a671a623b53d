using System.Globalization;
using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.Tests.Data;

/// <summary>
/// The typed setters write the PS3.5 forms whatever the culture, and a value the VR cannot hold is
/// an error naming the tag, never a value cut short (issue #9, item 7).
/// </summary>
public sealed class DicomDatasetTypedWriteTests
{
    /// <summary>
    /// The build runs with InvariantGlobalization, so cultures are made here from the invariant one:
    /// the invariant culture itself (which gave "01/02/2026"), and one shaped like de-DE.
    /// </summary>
    public static TheoryData<string> Cultures() => ["invariant", "comma"];

    [Theory]
    [MemberData(nameof(Cultures))]
    public void DateOnly_AsDA_IsYYYYMMDD_InEveryCulture(string culture)
    {
        var ds = InCulture(culture, () => new DicomDataset()
            .AddOrUpdate(DicomTags.StudyDate, DicomVR.DA, new DateOnly(2026, 1, 2))
            .AddOrUpdate(DicomTags.SeriesDate, DicomVR.DA, new DateTime(2026, 12, 31, 23, 59, 0)));

        Assert.Equal("20260102", Text(ds, DicomTags.StudyDate));
        Assert.Equal("20261231", Text(ds, DicomTags.SeriesDate));
        Assert.Equal(new DateOnly(2026, 1, 2), ds.GetValue<DateOnly>(DicomTags.StudyDate));
    }

    [Theory]
    [MemberData(nameof(Cultures))]
    public void TimeOnly_AsTM_IsHHMMSS_AsPreciseAsGiven(string culture)
    {
        var ds = InCulture(culture, () => new DicomDataset()
            .AddOrUpdate(DicomTags.StudyTime, DicomVR.TM, new TimeOnly(13, 5))
            .AddOrUpdate(DicomTags.SeriesTime, DicomVR.TM, new TimeOnly(13, 5, 0, 250))
            .AddOrUpdate(DicomTags.ContentTime, DicomVR.TM, new TimeOnly(7, 8, 9).Add(TimeSpan.FromTicks(1_234_560))));

        Assert.Equal("130500", Text(ds, DicomTags.StudyTime));
        Assert.Equal("130500.25", Text(ds, DicomTags.SeriesTime));
        Assert.Equal("070809.123456", Text(ds, DicomTags.ContentTime));
        Assert.Equal(new TimeOnly(7, 8, 9).Add(TimeSpan.FromTicks(1_234_560)), ds.GetValue<TimeOnly>(DicomTags.ContentTime));
    }

    [Theory]
    [MemberData(nameof(Cultures))]
    public void DateTimeOffset_AsDT_CarriesItsOffset(string culture)
    {
        var east = new DateTimeOffset(2026, 1, 2, 13, 5, 0, 500, TimeSpan.FromHours(1));
        var west = new DateTimeOffset(2026, 1, 2, 13, 5, 7, TimeSpan.FromMinutes(-330));
        var ds = InCulture(culture, () => new DicomDataset()
            .AddOrUpdate(DicomTags.AcquisitionDateTime, DicomVR.DT, east)
            .AddOrUpdate(DicomTags.FrameAcquisitionDateTime, DicomVR.DT, west)
            .AddOrUpdate(DicomTags.FrameReferenceDateTime, DicomVR.DT, new DateTime(2026, 1, 2, 0, 0, 0, DateTimeKind.Utc)));

        Assert.Equal("20260102130500.5+0100", Text(ds, DicomTags.AcquisitionDateTime));
        Assert.Equal("20260102130507-0530", Text(ds, DicomTags.FrameAcquisitionDateTime));
        Assert.Equal("20260102000000+0000", Text(ds, DicomTags.FrameReferenceDateTime));
        Assert.Equal(east, ds.GetValue<DateTimeOffset>(DicomTags.AcquisitionDateTime));
        Assert.Equal(west, ds.GetValue<DateTimeOffset>(DicomTags.FrameAcquisitionDateTime));
    }

    [Fact]
    public void DateOrTime_InAVRThatCannotHoldIt_IsAnErrorNamingTheTag()
    {
        var ds = new DicomDataset();

        var time = Assert.Throws<DicomDataException>(() => ds.AddOrUpdate(DicomTags.StudyTime, DicomVR.TM, new DateOnly(2026, 1, 2)));
        var offset = Assert.Throws<DicomDataException>(() => ds.AddOrUpdate(DicomTags.StudyDate, DicomVR.DA, DateTimeOffset.UnixEpoch));
        var text = Assert.Throws<DicomDataException>(() => ds.AddOrUpdate(DicomTags.StudyDate, DicomVR.DA, "01/02/2026"));

        Assert.Equal(DicomTags.StudyTime, time.Tag);
        Assert.Contains("(0008,0030)", time.Message, StringComparison.Ordinal);
        Assert.Contains("needs DT", offset.Message, StringComparison.Ordinal);
        Assert.Contains("(0008,0020) StudyDate DA", text.Message, StringComparison.Ordinal);
        Assert.Equal(0, ds.Count);
    }

    [Theory]
    [MemberData(nameof(Cultures))]
    public void Decimals_AsDS_UseAPoint_InCommaCultures(string culture)
    {
        var ds = InCulture(culture, () => new DicomDataset()
            .AddOrUpdate(DicomTags.PixelSpacing, DicomVR.DS, 0.5, 0.8)
            .AddOrUpdate(DicomTags.SliceThickness, DicomVR.DS, 1.25m)
            .AddOrUpdate(DicomTags.RescaleIntercept, DicomVR.DS, -1024)
            .AddOrUpdate(DicomTags.RescaleSlope, DicomVR.DS, 1.0f / 3.0f)
            .AddOrUpdate(DicomTags.WindowCenter, DicomVR.DS, Math.PI));

        Assert.Equal(@"0.5\0.8", Text(ds, DicomTags.PixelSpacing));
        Assert.Equal("1.25", Text(ds, DicomTags.SliceThickness));
        Assert.Equal("-1024", Text(ds, DicomTags.RescaleIntercept));
        Assert.All(ds.Select(e => ((DicomValueElement)e).Buffer.Length), length => Assert.True(length <= 34));
        Assert.True(Text(ds, DicomTags.WindowCenter).Length <= 16);
        Assert.Equal(Math.PI, ds.GetValue<double>(DicomTags.WindowCenter), 1e-14);
    }

    [Fact]
    public void DecimalString_ThatIsNotANumberOrTooLong_IsAnError_NotTruncated()
    {
        var ds = new DicomDataset();

        var tooLong = Assert.Throws<DicomDataException>(() => ds.AddOrUpdate(DicomTags.SliceThickness, DicomVR.DS, "1.23456789012345678"));
        var comma = Assert.Throws<DicomDataException>(() => ds.AddOrUpdate(DicomTags.SliceThickness, DicomVR.DS, "1,5"));
        var nan = Assert.Throws<DicomDataException>(() => ds.AddOrUpdate(DicomTags.SliceThickness, DicomVR.DS, double.NaN));

        Assert.Contains("19 characters; DS allows 16", tooLong.Message, StringComparison.Ordinal);
        Assert.Contains("not a decimal string", comma.Message, StringComparison.Ordinal);
        Assert.Contains("(0018,0050)", nan.Message, StringComparison.Ordinal);
        Assert.False(ds.Contains(DicomTags.SliceThickness));
    }

    [Fact]
    public void IntegerString_OutOfRangeOrFractional_IsAnError()
    {
        var ds = new DicomDataset().AddOrUpdate(DicomTags.InstanceNumber, DicomVR.IS, int.MaxValue);

        Assert.Equal("2147483647", Text(ds, DicomTags.InstanceNumber));
        Assert.Contains("outside the range", Assert.Throws<DicomDataException>(() => ds.AddOrUpdate(DicomTags.InstanceNumber, DicomVR.IS, 3_000_000_000L)).Message, StringComparison.Ordinal);
        Assert.Contains("not an integer", Assert.Throws<DicomDataException>(() => ds.AddOrUpdate(DicomTags.InstanceNumber, DicomVR.IS, 1.5)).Message, StringComparison.Ordinal);
        Assert.Contains("IS range", Assert.Throws<DicomDataException>(() => ds.AddOrUpdate(DicomTags.InstanceNumber, DicomVR.IS, "2147483648")).Message, StringComparison.Ordinal);
        Assert.Equal("2147483647", Text(ds, DicomTags.InstanceNumber));
    }

    [Fact]
    public void BinaryNumbers_AreLittleEndian_InEachVR()
    {
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTags.Rows, DicomVR.US, 0x0102)
            .AddOrUpdate(DicomTags.SmallestImagePixelValue, DicomVR.SS, (short)-2)
            .AddOrUpdate(DicomTags.SimpleFrameList, DicomVR.UL, 0x01020304u)
            .AddOrUpdate(DicomTags.ReferencePixelX0, DicomVR.SL, -2)
            .AddOrUpdate(DicomTags.FloatPixelPaddingValue, DicomVR.FL, 1.5)
            .AddOrUpdate(DicomTags.DoubleFloatPixelPaddingValue, DicomVR.FD, 1.0)
            .AddOrUpdate(DicomTags.ExtendedOffsetTableLengths, DicomVR.OV, 0x0102030405060708UL)
            .AddOrUpdate(new DicomTag(0x0008, 0x0400), DicomVR.SV, -2L);

        Assert.Equal(new byte[] { 0x02, 0x01 }, Raw(ds, DicomTags.Rows));
        Assert.Equal(new byte[] { 0xFE, 0xFF }, Raw(ds, DicomTags.SmallestImagePixelValue));
        Assert.Equal(new byte[] { 0x04, 0x03, 0x02, 0x01 }, Raw(ds, DicomTags.SimpleFrameList));
        Assert.Equal(new byte[] { 0xFE, 0xFF, 0xFF, 0xFF }, Raw(ds, DicomTags.ReferencePixelX0));
        Assert.Equal(new byte[] { 0x00, 0x00, 0xC0, 0x3F }, Raw(ds, DicomTags.FloatPixelPaddingValue));
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 0xF0, 0x3F }, Raw(ds, DicomTags.DoubleFloatPixelPaddingValue));
        Assert.Equal(new byte[] { 8, 7, 6, 5, 4, 3, 2, 1 }, Raw(ds, DicomTags.ExtendedOffsetTableLengths));
        Assert.Equal(new byte[] { 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, Raw(ds, new DicomTag(0x0008, 0x0400)));
    }

    [Fact]
    public void BinaryNumbers_OutOfRangeOrFractional_AreErrorsNamingTheTag_NotWrappedOrRounded()
    {
        var ds = new DicomDataset();

        var big = Assert.Throws<DicomDataException>(() => ds.AddOrUpdate(DicomTags.Rows, DicomVR.US, 70_000));
        var negative = Assert.Throws<DicomDataException>(() => ds.AddOrUpdate(DicomTags.Rows, DicomVR.US, -1));
        var fraction = Assert.Throws<DicomDataException>(() => ds.AddOrUpdate(DicomTags.Rows, DicomVR.US, 1.5));
        var single = Assert.Throws<DicomDataException>(() => ds.AddOrUpdate(DicomTags.FloatPixelPaddingValue, DicomVR.FL, 1e300));

        Assert.Contains("(0028,0010) Rows US: 70000 is outside the range of US (0 to 65535)", big.Message, StringComparison.Ordinal);
        Assert.Equal(DicomTags.Rows, negative.Tag);
        Assert.Contains("not an integer", fraction.Message, StringComparison.Ordinal);
        Assert.Equal(DicomTags.FloatPixelPaddingValue, single.Tag);
        Assert.Equal(0, ds.Count);
    }

    [Fact]
    public void Text_LongerThanTheVRAllows_IsAnError_NotTruncated()
    {
        var ds = new DicomDataset();

        var lo = Assert.Throws<DicomDataException>(() => ds.AddOrUpdate(DicomTags.StudyDescription, DicomVR.LO, new string('a', 65)));
        var sh = Assert.Throws<DicomDataException>(() => ds.AddOrUpdate(DicomTags.AccessionNumber, DicomVR.SH, "12345678901234567"));
        var pn = Assert.Throws<DicomDataException>(() => ds.AddOrUpdate(DicomTags.PatientName, DicomVR.PN, new string('A', 65)));
        var ui = Assert.Throws<DicomDataException>(() => ds.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, "1." + new string('2', 63)));

        Assert.Contains("65 characters; LO allows 64", lo.Message, StringComparison.Ordinal);
        Assert.Equal(DicomTags.AccessionNumber, sh.Tag);
        Assert.Contains("PN allows 64 per group", pn.Message, StringComparison.Ordinal);
        Assert.Equal(DicomTags.SOPInstanceUID, ui.Tag);
        Assert.Equal(0, ds.Count);

        // Three groups of 64 are a valid PN of 194 characters.
        var name = string.Join('=', Enumerable.Repeat(new string('A', 64), 3));
        Assert.Equal(name, ds.AddOrUpdate(DicomTags.PatientName, DicomVR.PN, name).GetString(DicomTags.PatientName));
    }

    [Fact]
    public void ControlCharacters_AreErrors_ExceptLineBreaksAndTabsInLTSTUT()
    {
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTags.ImageComments, DicomVR.LT, "Line 1\r\nLine 2\tend");

        var lo = Assert.Throws<DicomDataException>(() => ds.AddOrUpdate(DicomTags.StudyDescription, DicomVR.LO, "Chest\nPA"));
        var esc = Assert.Throws<DicomDataException>(() => ds.AddOrUpdate(DicomTags.PatientName, DicomVR.PN, "\u001B$BYamada"));

        Assert.Equal("Line 1\r\nLine 2\tend", ds.GetString(DicomTags.ImageComments));
        Assert.Contains("control character U+000A at index 5", lo.Message, StringComparison.Ordinal);
        Assert.Equal(DicomTags.PatientName, esc.Tag);
    }

    [Fact]
    public void CodeStringsAndUids_OutsideTheirRepertoire_AreErrors()
    {
        var ds = new DicomDataset();

        Assert.Contains("CS does not allow", Assert.Throws<DicomDataException>(() => ds.AddOrUpdate(DicomTags.Modality, DicomVR.CS, "ct")).Message, StringComparison.Ordinal);
        Assert.Contains("not a UID", Assert.Throws<DicomDataException>(() => ds.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, "1.2.abc")).Message, StringComparison.Ordinal);
        Assert.Contains("age string", Assert.Throws<DicomDataException>(() => ds.AddOrUpdate(DicomTags.PatientAge, DicomVR.AS, "45")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TooManyValues_ForTheDictionaryVM_IsAnError()
    {
        var ds = new DicomDataset();

        var rows = Assert.Throws<DicomDataException>(() => ds.AddOrUpdate(DicomTags.Rows, DicomVR.US, (ushort)1, (ushort)2));
        var spacing = Assert.Throws<DicomDataException>(() => ds.AddOrUpdate(DicomTags.PixelSpacing, DicomVR.DS, 0.5, 0.5, 0.5));
        var modality = Assert.Throws<DicomDataException>(() => ds.AddOrUpdate(DicomTags.Modality, DicomVR.CS, @"CT\MR"));

        Assert.Contains("2 values given, but Rows takes VM 1", rows.Message, StringComparison.Ordinal);
        Assert.Contains("VM 2", spacing.Message, StringComparison.Ordinal);
        Assert.Equal(DicomTags.Modality, modality.Tag);

        // Multi-valued attributes take their values, and empty values are allowed (Type 2).
        ds.AddOrUpdate(DicomTags.ImageType, DicomVR.CS, "DERIVED", "SECONDARY", string.Empty, "AI");
        ds.AddOrUpdate(DicomTags.PatientName, DicomVR.PN, string.Empty);
        Assert.Equal(["DERIVED", "SECONDARY", string.Empty, "AI"], ds.GetStrings(DicomTags.ImageType));
    }

    private static T InCulture<T>(string name, Func<T> action)
    {
        var previous = CultureInfo.CurrentCulture;
        var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        if (name == "comma")
        {
            culture.NumberFormat.NumberDecimalSeparator = ",";
            culture.NumberFormat.NumberGroupSeparator = ".";
            culture.DateTimeFormat.ShortDatePattern = "dd.MM.yyyy";
            culture.DateTimeFormat.LongTimePattern = "HH:mm:ss";
            culture.DateTimeFormat.ShortTimePattern = "HH:mm";
        }

        CultureInfo.CurrentCulture = culture;
        try
        {
            return action();
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    private static byte[] Raw(DicomDataset ds, DicomTag tag) =>
        ((DicomValueElement)ds.GetElement(tag)!).Buffer.GetMemory().ToArray();

    private static string Text(DicomDataset ds, DicomTag tag) =>
        System.Text.Encoding.ASCII.GetString(Raw(ds, tag)).TrimEnd(' ');
}
