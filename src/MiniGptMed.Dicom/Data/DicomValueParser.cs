using System.Globalization;

namespace MiniGptMed.Dicom.Data;

/// <summary>Parsing of the text VRs that hold numbers, dates and times (PS3.5 6.2).</summary>
public static class DicomValueParser
{
    /// <summary>IS: an integer string, optionally signed (PS3.5 6.2). Some writers put "1.0"; accepted when integral.</summary>
    public static long ParseIntegerString(string value)
    {
        var s = value.Trim();
        if (long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var result))
        {
            return result;
        }

        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == Math.Floor(d) && Math.Abs(d) < 9.2e18)
        {
            return (long)d;
        }

        throw new FormatException($"'{value}' is not an IS (integer string) value.");
    }

    /// <summary>DS: a fixed or floating point decimal string (PS3.5 6.2).</summary>
    public static double ParseDecimalString(string value)
    {
        if (double.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var result))
        {
            return result;
        }

        throw new FormatException($"'{value}' is not a DS (decimal string) value.");
    }

    /// <summary>DA: YYYYMMDD; the ACR-NEMA form YYYY.MM.DD is accepted on read.</summary>
    public static DateOnly ParseDate(string value)
    {
        var s = value.Trim().Replace(".", string.Empty, StringComparison.Ordinal);
        if (DateOnly.TryParseExact(s, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        throw new FormatException($"'{value}' is not a DA (date) value.");
    }

    /// <summary>TM: HH[MM[SS[.F{1-6}]]]; the ACR-NEMA form HH:MM:SS is accepted on read.</summary>
    public static TimeOnly ParseTime(string value)
    {
        var s = value.Trim().Replace(":", string.Empty, StringComparison.Ordinal);
        var fraction = 0L;
        var dot = s.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0)
        {
            var digits = s[(dot + 1)..];
            if (digits.Length is 0 or > 6 || !digits.All(char.IsAsciiDigit))
            {
                throw new FormatException($"'{value}' is not a TM (time) value.");
            }

            fraction = long.Parse(digits.PadRight(6, '0'), CultureInfo.InvariantCulture);
            s = s[..dot];
        }

        if (s.Length is not (2 or 4 or 6) || !s.All(char.IsAsciiDigit))
        {
            throw new FormatException($"'{value}' is not a TM (time) value.");
        }

        var hour = int.Parse(s.AsSpan(0, 2), CultureInfo.InvariantCulture);
        var minute = s.Length >= 4 ? int.Parse(s.AsSpan(2, 2), CultureInfo.InvariantCulture) : 0;
        var second = s.Length >= 6 ? int.Parse(s.AsSpan(4, 2), CultureInfo.InvariantCulture) : 0;

        // PS3.5 Table 6.2-1: SS may be 60 for a leap second; TimeOnly cannot hold it, so clamp.
        second = Math.Min(second, 59);
        if (hour > 23 || minute > 59)
        {
            throw new FormatException($"'{value}' is not a TM (time) value.");
        }

        return new TimeOnly(hour, minute, second).Add(TimeSpan.FromTicks(fraction * 10));
    }

    /// <summary>DT: YYYY[MM[DD[HH[MM[SS[.F{1-6}]]]]]][&amp;ZZXX].</summary>
    public static DateTimeOffset ParseDateTime(string value)
    {
        var s = value.Trim();
        var offset = TimeSpan.Zero;
        var hasOffset = false;
        var sign = s.Length > 4 ? s.IndexOfAny(['+', '-'], 4) : -1;
        if (sign > 0)
        {
            var zone = s[(sign + 1)..];
            if (zone.Length != 4 || !zone.All(char.IsAsciiDigit))
            {
                throw new FormatException($"'{value}' is not a DT (date time) value.");
            }

            offset = new TimeSpan(int.Parse(zone.AsSpan(0, 2), CultureInfo.InvariantCulture), int.Parse(zone.AsSpan(2, 2), CultureInfo.InvariantCulture), 0);
            if (s[sign] == '-')
            {
                offset = -offset;
            }

            hasOffset = true;
            s = s[..sign];
        }

        var datePart = s.Length >= 8 ? s[..8] : s.PadRight(8, '0');
        if (s.Length < 8)
        {
            // Missing month or day mean the first one (PS3.5 Table 6.2-1 allows YYYY and YYYYMM).
            datePart = s.Length switch
            {
                4 => s + "0101",
                6 => s + "01",
                _ => throw new FormatException($"'{value}' is not a DT (date time) value."),
            };
        }

        var date = ParseDate(datePart);
        var time = s.Length > 8 ? ParseTime(s[8..]) : TimeOnly.MinValue;
        var local = date.ToDateTime(time);
        return new DateTimeOffset(local, hasOffset ? offset : TimeSpan.Zero);
    }

    /// <summary>DA: YYYYMMDD (PS3.5 Table 6.2-1), whatever the current culture.</summary>
    public static string FormatDate(DateOnly date) => date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>
    /// TM: HHMMSS, then as many fraction digits (up to six) as the time has: 13:05 gives "130500",
    /// 13:05:00.25 gives "130500.25" (PS3.5 Table 6.2-1). TM resolves a microsecond; finer ticks
    /// (a TimeOnly holds 100 ns) are below what the VR can say and are dropped.
    /// </summary>
    public static string FormatTime(TimeOnly time)
    {
        var text = time.ToString("HHmmss", CultureInfo.InvariantCulture);
        var microseconds = time.Ticks % TimeSpan.TicksPerSecond / 10;
        return microseconds == 0
            ? text
            : text + "." + microseconds.ToString("D6", CultureInfo.InvariantCulture).TrimEnd('0');
    }

    /// <summary>DT with its UTC offset: YYYYMMDDHHMMSS[.F{1-6}]&amp;ZZXX (PS3.5 Table 6.2-1).</summary>
    public static string FormatDateTime(DateTimeOffset value) =>
        FormatDateTime(value.DateTime) + FormatOffset(value.Offset);

    /// <summary>
    /// DT for a DateTime: a UTC one gets "+0000", a local one the machine's offset at that time, an
    /// unspecified one no offset (PS3.5 Table 6.2-1: the receiver's Timezone Offset From UTC applies).
    /// </summary>
    public static string FormatDateTime(DateTime value)
    {
        var text = FormatDate(DateOnly.FromDateTime(value)) + FormatTime(TimeOnly.FromDateTime(value));
        return value.Kind switch
        {
            DateTimeKind.Utc => text + "+0000",
            DateTimeKind.Local => text + FormatOffset(TimeZoneInfo.Local.GetUtcOffset(value)),
            _ => text,
        };
    }

    private static string FormatOffset(TimeSpan offset)
    {
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var abs = offset.Duration();
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{abs.Hours:D2}{abs.Minutes:D2}");
    }

    /// <summary>DS with at most 16 characters (PS3.5 Table 6.2-1), using the shortest form that round-trips.</summary>
    public static string FormatDecimalString(double value)
    {
        var s = value.ToString("R", CultureInfo.InvariantCulture);
        if (s.Length <= 16)
        {
            return s;
        }

        for (var digits = 15; digits > 0; digits--)
        {
            s = value.ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            if (s.Length <= 16)
            {
                return s;
            }
        }

        return s;
    }
}
