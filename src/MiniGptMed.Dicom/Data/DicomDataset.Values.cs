using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;

namespace MiniGptMed.Dicom.Data;

/// <summary>Typed access: values are decoded from the raw bytes on each call, by VR.</summary>
public sealed partial class DicomDataset
{
    /// <summary>The whole value as text (values joined by '\', padding removed), or null when absent.</summary>
    public string? GetString(DicomTag tag)
    {
        if (!TryGetElement(tag, out var element) || element is not DicomValueElement value)
        {
            return null;
        }

        if (value.VR.IsText)
        {
            return DicomText.JoinValues(DicomText.SplitValues(DecodeText(value), value.VR));
        }

        return DicomText.JoinValues(GetStrings(tag));
    }

    /// <summary>The values as text: split on '\' for text VRs, formatted invariantly for binary numbers.</summary>
    public string[] GetStrings(DicomTag tag)
    {
        if (!TryGetElement(tag, out var element) || element is not DicomValueElement value)
        {
            return [];
        }

        return value.VR.Kind switch
        {
            DicomVRKind.Text => DicomText.SplitValues(DecodeText(value), value.VR),
            DicomVRKind.Number => [.. DecodeNumbers(value).Select(FormatNumber)],
            _ => [Convert.ToBase64String(value.Buffer.GetMemory().Span)],
        };
    }

    public T GetValue<T>(DicomTag tag, int index = 0)
    {
        if (TryGetValue<T>(tag, out var result, index))
        {
            return result;
        }

        throw new DicomDataException(Contains(tag)
            ? $"{tag} has no value {index} of type {typeof(T).Name}."
            : $"{tag} is not in the data set.", tag);
    }

    public T GetValueOrDefault<T>(DicomTag tag, T defaultValue, int index = 0) =>
        TryGetValue<T>(tag, out var result, index) ? result : defaultValue;

    public bool TryGetValue<T>(DicomTag tag, out T value, int index = 0)
    {
        value = default!;
        try
        {
            var values = GetValues<T>(tag);
            if (index < 0 || index >= values.Length)
            {
                return false;
            }

            value = values[index];
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
        catch (InvalidCastException)
        {
            return false;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    /// <summary>
    /// All values converted to <typeparamref name="T"/>: string, numbers (from binary VRs, IS or DS),
    /// DateOnly (DA), TimeOnly (TM), DateTimeOffset (DT), DicomPersonName (PN), DicomTag (AT), byte[] (raw).
    /// </summary>
    public T[] GetValues<T>(DicomTag tag)
    {
        if (!TryGetElement(tag, out var element) || element is not DicomValueElement value)
        {
            return [];
        }

        if (typeof(T) == typeof(byte[]))
        {
            return [(T)(object)value.Buffer.GetMemory().ToArray()];
        }

        if (typeof(T) == typeof(string))
        {
            return (T[])(object)GetStrings(tag);
        }

        if (value.VR.Kind == DicomVRKind.Text)
        {
            var strings = DicomText.SplitValues(DecodeText(value), value.VR);
            var result = new T[strings.Length];
            for (var i = 0; i < strings.Length; i++)
            {
                result[i] = ConvertText<T>(strings[i], value.VR);
            }

            return result;
        }

        var numbers = DecodeNumbers(value);
        var converted = new T[numbers.Length];
        for (var i = 0; i < numbers.Length; i++)
        {
            converted[i] = numbers[i] is T same ? same : (T)Convert.ChangeType(numbers[i], typeof(T), CultureInfo.InvariantCulture);
        }

        return converted;
    }

    public DicomSequence? GetSequence(DicomTag tag) => GetElement(tag) as DicomSequence;

    /// <summary>
    /// Sets text values (a value may also hold several joined by '\'), encoded in the data set's
    /// character set and padded to even length. Each value is checked against the VR (length,
    /// control characters, the form of DA/TM/DT/IS/DS/AS/CS/UI) and their number against the
    /// dictionary's VM; text the character set cannot hold is an error, never '?'. Setting
    /// Specific Character Set (0008,0005) this way transcodes the text already in the data set.
    /// </summary>
    /// <exception cref="DicomDataException">A value cannot be written as given; nothing was written.</exception>
    public DicomDataset AddOrUpdate(DicomTag tag, DicomVR vr, params string[] values)
    {
        ArgumentNullException.ThrowIfNull(vr);
        ArgumentNullException.ThrowIfNull(values);
        if (vr.Kind == DicomVRKind.Sequence)
        {
            throw new ArgumentException($"{tag}: use a DicomSequence for SQ.", nameof(vr));
        }

        if (tag == SpecificCharacterSetTag)
        {
            return SetSpecificCharacterSet(vr, values);
        }

        if (vr.Kind != DicomVRKind.Text)
        {
            var numbers = new double[values.Length];
            for (var i = 0; i < values.Length; i++)
            {
                if (!double.TryParse(values[i], NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]))
                {
                    throw DicomValueRules.Error(tag, vr, $"value {i + 1} is not a number");
                }
            }

            return AddOrUpdate(tag, vr, numbers);
        }

        var text = DicomText.JoinValues(values);
        DicomValueRules.CheckText(tag, vr, vr.IsMultiValueText ? text.Split('\\') : [text]);
        var bytes = CharacterSet.Encode(text, vr, out var warning);
        if (warning is not null)
        {
            var detached = Parent is null && !Contains(SpecificCharacterSetTag)
                ? " (a sequence item takes the character set of the data set that holds it: add it to its sequence first)"
                : string.Empty;
            throw DicomValueRules.Error(tag, vr,
                $"{CharacterSet} cannot hold every character of the value{detached}; declare a Specific Character Set (0008,0005) that does, e.g. ISO_IR 192 (UTF-8)");
        }

        return AddOrUpdate(new DicomValueElement(tag, vr, DicomBuffer.FromBytes(PadToEven(bytes, vr.PaddingByte))));
    }

    /// <summary>
    /// Sets typed values. Text VRs get the PS3.5 form whatever the culture: DateOnly/DateTime as DA
    /// YYYYMMDD, TimeOnly/DateTime as TM HHMMSS.FFFFFF (as precise as given, to the microsecond),
    /// DateTime/DateTimeOffset as DT (with its offset), numbers as IS (in range) or DS (at most 16
    /// characters). Binary VRs (US, SS, UL, SL, FL, FD, SV, UV, AT, OW, ...) get little endian
    /// numbers, each checked against the VR's range; a byte[] for OB/UN/... is the value itself.
    /// </summary>
    /// <exception cref="DicomDataException">A value cannot be written in the VR; nothing was written.</exception>
    public DicomDataset AddOrUpdate<T>(DicomTag tag, DicomVR vr, params T[] values)
        where T : struct
    {
        ArgumentNullException.ThrowIfNull(vr);
        ArgumentNullException.ThrowIfNull(values);
        if (vr.IsText)
        {
            var text = new string[values.Length];
            for (var i = 0; i < values.Length; i++)
            {
                text[i] = DicomValueFormatter.Format(tag, vr, values[i]);
            }

            return AddOrUpdate(tag, vr, text);
        }

        if (vr.Kind == DicomVRKind.Sequence)
        {
            throw new ArgumentException($"{tag}: use a DicomSequence for SQ.", nameof(vr));
        }

        // A byte array given for OB, OW, UN, ... is the value itself, not numbers to widen.
        if (values is byte[] raw && vr.Kind == DicomVRKind.Bulk)
        {
            return AddOrUpdate(tag, vr, raw);
        }

        DicomValueRules.CheckMultiplicity(tag, vr, values.Length);
        var bytes = DicomValueFormatter.EncodeBinary(tag, vr, values);
        return AddOrUpdate(new DicomValueElement(tag, vr, DicomBuffer.FromBytes(PadToEven(bytes, vr.PaddingByte))));
    }

    /// <summary>Sets a binary value as given (OB, OW, UN, ...), padded to even length.</summary>
    public DicomDataset AddOrUpdate(DicomTag tag, DicomVR vr, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(vr);
        ArgumentNullException.ThrowIfNull(bytes);
        if (vr.Kind != DicomVRKind.Bulk)
        {
            throw DicomValueRules.Error(tag, vr, "raw bytes are for OB, OD, OF, OL, OV, OW and UN; give typed values for other VRs");
        }

        return AddOrUpdate(new DicomValueElement(tag, vr, DicomBuffer.FromBytes(PadToEven(bytes, vr.PaddingByte))));
    }

    internal string DecodeText(DicomValueElement value)
    {
        var bytes = value.Buffer.GetMemory().Span;
        return CharacterSet.Decode(bytes, value.VR);
    }

    internal static object[] DecodeNumbers(DicomValueElement value)
    {
        var span = value.Buffer.GetMemory().Span;
        var vr = value.VR;
        if (vr == DicomVR.AT)
        {
            var tags = new object[span.Length / 4];
            for (var i = 0; i < tags.Length; i++)
            {
                tags[i] = new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(span[(i * 4)..]), BinaryPrimitives.ReadUInt16LittleEndian(span[((i * 4) + 2)..]));
            }

            return tags;
        }

        return vr.Code switch
        {
            "US" or "OW" => Box(MemoryMarshal.Cast<byte, ushort>(span[..(span.Length & ~1)])),
            "SS" => Box(MemoryMarshal.Cast<byte, short>(span[..(span.Length & ~1)])),
            "UL" or "OL" => Box(MemoryMarshal.Cast<byte, uint>(span[..(span.Length & ~3)])),
            "SL" => Box(MemoryMarshal.Cast<byte, int>(span[..(span.Length & ~3)])),
            "FL" or "OF" => Box(MemoryMarshal.Cast<byte, float>(span[..(span.Length & ~3)])),
            "FD" or "OD" => Box(MemoryMarshal.Cast<byte, double>(span[..(span.Length & ~7)])),
            "SV" => Box(MemoryMarshal.Cast<byte, long>(span[..(span.Length & ~7)])),
            "UV" or "OV" => Box(MemoryMarshal.Cast<byte, ulong>(span[..(span.Length & ~7)])),
            _ => Box(span),
        };
    }

    private static object[] Box<TNumber>(ReadOnlySpan<TNumber> values)
        where TNumber : struct
    {
        var result = new object[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = values[i];
        }

        return result;
    }

    private static T ConvertText<T>(string text, DicomVR vr)
    {
        object result;
        if (typeof(T) == typeof(DateOnly))
        {
            result = DicomValueParser.ParseDate(text);
        }
        else if (typeof(T) == typeof(TimeOnly))
        {
            result = DicomValueParser.ParseTime(text);
        }
        else if (typeof(T) == typeof(DateTimeOffset))
        {
            result = vr == DicomVR.DA ? new DateTimeOffset(DicomValueParser.ParseDate(text).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : DicomValueParser.ParseDateTime(text);
        }
        else if (typeof(T) == typeof(DicomPersonName))
        {
            result = DicomPersonName.Parse(text);
        }
        else if (typeof(T) == typeof(DicomTag))
        {
            result = DicomTag.Parse(text);
        }
        else if (typeof(T) == typeof(double) || typeof(T) == typeof(float) || typeof(T) == typeof(decimal))
        {
            result = Convert.ChangeType(DicomValueParser.ParseDecimalString(text), typeof(T), CultureInfo.InvariantCulture);
        }
        else if (vr == DicomVR.DS)
        {
            // An integer asked of a DS: only when the decimal is integral.
            var d = DicomValueParser.ParseDecimalString(text);
            if (d != Math.Floor(d))
            {
                throw new FormatException($"DS value '{text}' is not an integer.");
            }

            result = Convert.ChangeType(d, typeof(T), CultureInfo.InvariantCulture);
        }
        else
        {
            result = Convert.ChangeType(DicomValueParser.ParseIntegerString(text), typeof(T), CultureInfo.InvariantCulture);
        }

        return (T)result;
    }

    private static string FormatNumber(object value) => value switch
    {
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        DicomTag t => t.ToJsonKey(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    internal static byte[] PadToEven(byte[] bytes, byte padding)
    {
        if ((bytes.Length & 1) == 0)
        {
            return bytes;
        }

        var padded = new byte[bytes.Length + 1];
        bytes.CopyTo(padded, 0);
        padded[^1] = padding;
        return padded;
    }
}
