using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;

namespace MiniGptMed.Dicom.Json;

/// <summary>Options of the DICOM JSON writer.</summary>
public sealed record DicomJsonOptions
{
    public static DicomJsonOptions Default { get; } = new();

    /// <summary>
    /// Gives a BulkDataURI for a binary value instead of InlineBinary (PS3.18 F.2.6), or null to inline
    /// it. Called only for values of at least <see cref="BulkDataThreshold"/> bytes.
    /// </summary>
    public Func<DicomTag, DicomBuffer, string?>? BulkDataUri { get; init; }

    public long BulkDataThreshold { get; init; } = 1024;

    public bool Indented { get; init; }

    /// <summary>
    /// PS3.18 F.2.3: IS and DS values are JSON numbers, so a value that is not a number cannot be
    /// written faithfully. By default that is an error naming the element; set this to write it as a
    /// string instead.
    /// </summary>
    public bool WriteInvalidNumbersAsStrings { get; init; }
}

/// <summary>Writes a data set in the DICOM JSON Model (PS3.18 F.2).</summary>
public static class DicomJsonWriter
{
    public static string Write(DicomDataset dataset, DicomJsonOptions? options = null)
    {
        using var stream = new MemoryStream();
        Write(stream, dataset, options);
        return System.Text.Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    public static void Write(Stream stream, DicomDataset dataset, DicomJsonOptions? options = null)
    {
        options ??= DicomJsonOptions.Default;
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = options.Indented, SkipValidation = false });
        WriteDataset(writer, dataset, options);
        writer.Flush();
    }

    private static void WriteDataset(Utf8JsonWriter writer, DicomDataset dataset, DicomJsonOptions options)
    {
        writer.WriteStartObject();
        foreach (var element in dataset)
        {
            writer.WritePropertyName(element.Tag.ToJsonKey());
            WriteElement(writer, dataset, element, options);
        }

        writer.WriteEndObject();
    }

    private static void WriteElement(Utf8JsonWriter writer, DicomDataset dataset, DicomElement element, DicomJsonOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("vr"u8, element.VR.Code);
        switch (element)
        {
            case DicomSequence sequence:
                if (sequence.Items.Count > 0)
                {
                    writer.WriteStartArray("Value"u8);
                    foreach (var item in sequence.Items)
                    {
                        WriteDataset(writer, item, options);
                    }

                    writer.WriteEndArray();
                }

                break;

            case DicomFragmentSequence fragments:
                WriteBinary(writer, element.Tag, EncapsulatedBytes(fragments), options);
                break;

            case DicomValueElement value when !value.IsEmpty:
                WriteValue(writer, dataset, value, options);
                break;

            default:
                break;
        }

        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, DicomDataset dataset, DicomValueElement element, DicomJsonOptions options)
    {
        var vr = element.VR;
        if (vr.Kind == DicomVRKind.Bulk)
        {
            WriteBinary(writer, element.Tag, element.Buffer, options);
            return;
        }

        if (vr.Kind == DicomVRKind.Number)
        {
            writer.WriteStartArray("Value"u8);
            WriteNumbers(writer, element);
            writer.WriteEndArray();
            return;
        }

        var values = DicomText.SplitValues(dataset.DecodeText(element), vr);
        writer.WriteStartArray("Value"u8);
        foreach (var text in values)
        {
            if (vr == DicomVR.PN)
            {
                WritePersonName(writer, text);
            }
            else if (text.Length == 0)
            {
                // PS3.18 F.2.5: an empty value within a multi-valued element is null.
                writer.WriteNullValue();
            }
            else if (vr == DicomVR.IS && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
            {
                writer.WriteNumberValue(integer);
            }
            else if (vr == DicomVR.DS && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
            {
                writer.WriteNumberValue(number);
            }
            else if ((vr == DicomVR.IS || vr == DicomVR.DS) && !options.WriteInvalidNumbersAsStrings)
            {
                throw new FormatException($"{element.Tag} {vr.Code} value '{text}' is not a number, so it has no DICOM JSON form.");
            }
            else
            {
                writer.WriteStringValue(text);
            }
        }

        writer.WriteEndArray();
    }

    private static void WritePersonName(Utf8JsonWriter writer, string text)
    {
        if (text.Length == 0)
        {
            writer.WriteNullValue();
            return;
        }

        // PS3.18 F.2.2: one object per name, with the component groups that are present.
        var groups = text.TrimEnd('=').Split('=');
        writer.WriteStartObject();
        writer.WriteString("Alphabetic"u8, groups[0]);
        if (groups.Length > 1)
        {
            writer.WriteString("Ideographic"u8, groups[1]);
        }

        if (groups.Length > 2)
        {
            writer.WriteString("Phonetic"u8, groups[2]);
        }

        writer.WriteEndObject();
    }

    private static void WriteNumbers(Utf8JsonWriter writer, DicomValueElement element)
    {
        var span = element.Buffer.GetMemory().Span;
        switch (element.VR.Code)
        {
            case "AT":
                for (var i = 0; i + 4 <= span.Length; i += 4)
                {
                    var tag = new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(span[i..]), BinaryPrimitives.ReadUInt16LittleEndian(span[(i + 2)..]));
                    writer.WriteStringValue(tag.ToJsonKey());
                }

                break;
            case "US":
                for (var i = 0; i + 2 <= span.Length; i += 2)
                {
                    writer.WriteNumberValue(BinaryPrimitives.ReadUInt16LittleEndian(span[i..]));
                }

                break;
            case "SS":
                for (var i = 0; i + 2 <= span.Length; i += 2)
                {
                    writer.WriteNumberValue(BinaryPrimitives.ReadInt16LittleEndian(span[i..]));
                }

                break;
            case "UL":
                for (var i = 0; i + 4 <= span.Length; i += 4)
                {
                    writer.WriteNumberValue(BinaryPrimitives.ReadUInt32LittleEndian(span[i..]));
                }

                break;
            case "SL":
                for (var i = 0; i + 4 <= span.Length; i += 4)
                {
                    writer.WriteNumberValue(BinaryPrimitives.ReadInt32LittleEndian(span[i..]));
                }

                break;
            case "FL":
                for (var i = 0; i + 4 <= span.Length; i += 4)
                {
                    WriteFloat(writer, BinaryPrimitives.ReadSingleLittleEndian(span[i..]));
                }

                break;
            case "FD":
                for (var i = 0; i + 8 <= span.Length; i += 8)
                {
                    WriteFloat(writer, BinaryPrimitives.ReadDoubleLittleEndian(span[i..]));
                }

                break;
            case "SV":
                for (var i = 0; i + 8 <= span.Length; i += 8)
                {
                    WriteBig(writer, BinaryPrimitives.ReadInt64LittleEndian(span[i..]));
                }

                break;
            case "UV":
                for (var i = 0; i + 8 <= span.Length; i += 8)
                {
                    var v = BinaryPrimitives.ReadUInt64LittleEndian(span[i..]);
                    if (v <= MaxSafeInteger)
                    {
                        writer.WriteNumberValue(v);
                    }
                    else
                    {
                        writer.WriteStringValue(v.ToString(CultureInfo.InvariantCulture));
                    }
                }

                break;
            default:
                break;
        }
    }

    // PS3.18 F.2.3.1: SV and UV beyond what a JSON number holds exactly travel as strings.
    private const long MaxSafeInteger = (1L << 53) - 1;

    private static void WriteBig(Utf8JsonWriter writer, long value)
    {
        if (value is >= -MaxSafeInteger and <= MaxSafeInteger)
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static void WriteFloat(Utf8JsonWriter writer, double value)
    {
        // JSON has no NaN or infinity; PS3.18 F.2.3.1 leaves them out, so write them as strings.
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static void WriteBinary(Utf8JsonWriter writer, DicomTag tag, DicomBuffer buffer, DicomJsonOptions options)
    {
        if (buffer.Length == 0)
        {
            return;
        }

        if (options.BulkDataUri is { } uriFor && buffer.Length >= options.BulkDataThreshold && uriFor(tag, buffer) is { } uri)
        {
            writer.WriteString("BulkDataURI"u8, uri);
            return;
        }

        writer.WriteBase64String("InlineBinary"u8, buffer.GetMemory().Span);
    }

    /// <summary>The encapsulated value as encoded: items (offset table, fragments), as pydicom and DCMTK expose it.</summary>
    private static DicomBuffer EncapsulatedBytes(DicomFragmentSequence fragments)
    {
        using var stream = new MemoryStream();
        Span<byte> header = stackalloc byte[8];
        foreach (var item in fragments.Fragments.Prepend(fragments.OffsetTable))
        {
            BinaryPrimitives.WriteUInt16LittleEndian(header, 0xFFFE);
            BinaryPrimitives.WriteUInt16LittleEndian(header[2..], 0xE000);
            BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)item.Length);
            stream.Write(header);
            item.CopyTo(stream);
        }

        return DicomBuffer.FromBytes(stream.ToArray());
    }
}
