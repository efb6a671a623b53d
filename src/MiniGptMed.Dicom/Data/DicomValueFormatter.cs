using System.Buffers.Binary;
using System.Globalization;

namespace MiniGptMed.Dicom.Data;

/// <summary>
/// Typed values to the bytes or text a VR holds: dates and times in the PS3.5 forms (never the
/// culture's), numbers checked against the VR's range, binary numbers little endian (PS3.5 7.3).
/// </summary>
internal static class DicomValueFormatter
{
    /// <summary>The text of one typed value for a text VR.</summary>
    public static string Format<T>(DicomTag tag, DicomVR vr, T value)
        where T : struct
    {
        object boxed = value;
        return (boxed, vr.Code) switch
        {
            (DateOnly date, "DA" or "DT") => DicomValueParser.FormatDate(date),
            (DateTime dateTime, "DA") => DicomValueParser.FormatDate(DateOnly.FromDateTime(dateTime)),
            (TimeOnly time, "TM") => DicomValueParser.FormatTime(time),
            (DateTime dateTime, "TM") => DicomValueParser.FormatTime(TimeOnly.FromDateTime(dateTime)),
            (TimeSpan span, "TM") when span >= TimeSpan.Zero && span < TimeSpan.FromDays(1) => DicomValueParser.FormatTime(TimeOnly.FromTimeSpan(span)),
            (DateTime dateTime, "DT") => DicomValueParser.FormatDateTime(dateTime),
            (DateTimeOffset offset, "DT") => DicomValueParser.FormatDateTime(offset),
            (DateOnly or TimeOnly or DateTime or DateTimeOffset or TimeSpan or DicomTag, _) =>
                throw DicomValueRules.Error(tag, vr, $"a {typeof(T).Name} cannot be written as {vr.Code}" +
                    (boxed is DateTimeOffset ? " (its UTC offset needs DT; pass a DateOnly or TimeOnly for DA or TM)" : string.Empty)),
            (_, "DS") => FormatDecimal(tag, vr, boxed),
            (_, "IS") => FormatInteger(tag, vr, boxed),
            (IFormattable formattable, _) => formattable.ToString(boxed is double or float ? "R" : null, CultureInfo.InvariantCulture),
            _ => boxed.ToString() ?? string.Empty,
        };
    }

    /// <summary>Little endian binary numbers for a binary VR, each checked against its range.</summary>
    public static byte[] EncodeBinary<T>(DicomTag tag, DicomVR vr, T[] values)
        where T : struct
    {
        var size = vr == DicomVR.AT ? 4 : vr.Kind == DicomVRKind.Bulk && vr.UnitSize == 1 ? 1 : vr.UnitSize;
        var bytes = new byte[values.Length * size];
        for (var i = 0; i < values.Length; i++)
        {
            var slot = bytes.AsSpan(i * size, size);
            object value = values[i];
            switch (vr.Code)
            {
                case "AT":
                    var at = value is DicomTag t ? t : new DicomTag((uint)Integer(tag, vr, value, uint.MinValue, uint.MaxValue));
                    BinaryPrimitives.WriteUInt16LittleEndian(slot, at.Group);
                    BinaryPrimitives.WriteUInt16LittleEndian(slot[2..], at.Element);
                    break;
                case "US" or "OW":
                    BinaryPrimitives.WriteUInt16LittleEndian(slot, (ushort)Integer(tag, vr, value, ushort.MinValue, ushort.MaxValue));
                    break;
                case "SS":
                    BinaryPrimitives.WriteInt16LittleEndian(slot, (short)Integer(tag, vr, value, short.MinValue, short.MaxValue));
                    break;
                case "UL" or "OL":
                    BinaryPrimitives.WriteUInt32LittleEndian(slot, (uint)Integer(tag, vr, value, uint.MinValue, uint.MaxValue));
                    break;
                case "SL":
                    BinaryPrimitives.WriteInt32LittleEndian(slot, (int)Integer(tag, vr, value, int.MinValue, int.MaxValue));
                    break;
                case "SV":
                    BinaryPrimitives.WriteInt64LittleEndian(slot, (long)Integer(tag, vr, value, long.MinValue, long.MaxValue));
                    break;
                case "UV" or "OV":
                    BinaryPrimitives.WriteUInt64LittleEndian(slot, (ulong)Integer(tag, vr, value, ulong.MinValue, ulong.MaxValue));
                    break;
                case "FL" or "OF":
                    BinaryPrimitives.WriteSingleLittleEndian(slot, Single(tag, vr, value));
                    break;
                case "FD" or "OD":
                    BinaryPrimitives.WriteDoubleLittleEndian(slot, Double(tag, vr, value));
                    break;
                default:
                    slot[0] = (byte)Integer(tag, vr, value, byte.MinValue, byte.MaxValue);
                    break;
            }
        }

        return bytes;
    }

    private static string FormatDecimal(DicomTag tag, DicomVR vr, object value)
    {
        if (value is decimal exact && exact.ToString(CultureInfo.InvariantCulture) is { Length: <= 16 } text)
        {
            return text;
        }

        var number = Double(tag, vr, value);
        if (!double.IsFinite(number))
        {
            throw DicomValueRules.Error(tag, vr, $"{number.ToString(CultureInfo.InvariantCulture)} has no decimal string form");
        }

        // PS3.5 Table 6.2-1: 16 characters hold the shortest round-trip form or, failing that, the
        // nearest with 15 to 10 significant digits (the VR's own precision).
        return DicomValueParser.FormatDecimalString(number);
    }

    private static string FormatInteger(DicomTag tag, DicomVR vr, object value) =>
        ((long)Integer(tag, vr, value, int.MinValue, int.MaxValue)).ToString(CultureInfo.InvariantCulture);

    /// <summary>The value as an integer in [min, max]; a fraction or a value out of range is an error.</summary>
    private static decimal Integer(DicomTag tag, DicomVR vr, object value, decimal min, decimal max)
    {
        decimal number;
        try
        {
            number = value is DicomTag t ? t.Value : Convert.ToDecimal(value, CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is OverflowException or InvalidCastException or FormatException)
        {
            throw DicomValueRules.Error(tag, vr, $"{Show(value)} is not a number {vr.Code} can hold");
        }

        if (number != decimal.Truncate(number))
        {
            throw DicomValueRules.Error(tag, vr, $"{Show(value)} is not an integer");
        }

        if (number < min || number > max)
        {
            throw DicomValueRules.Error(tag, vr, $"{Show(value)} is outside the range of {vr.Code} ({min} to {max})");
        }

        return number;
    }

    private static double Double(DicomTag tag, DicomVR vr, object value)
    {
        try
        {
            return Convert.ToDouble(value, CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is OverflowException or InvalidCastException or FormatException)
        {
            throw DicomValueRules.Error(tag, vr, $"{Show(value)} is not a number {vr.Code} can hold");
        }
    }

    private static float Single(DicomTag tag, DicomVR vr, object value)
    {
        var number = Double(tag, vr, value);
        if (double.IsFinite(number) && Math.Abs(number) > float.MaxValue)
        {
            throw DicomValueRules.Error(tag, vr, $"{Show(value)} is outside the range of {vr.Code}");
        }

        return (float)number;
    }

    private static string Show(object value) =>
        value is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : value.ToString() ?? string.Empty;
}
