using System.Globalization;
using System.Text;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;

namespace MiniGptMed.Dicom.Text;

/// <summary>
/// A human-readable listing in the spirit of DCMTK's dcmdump: one line per element with tag, VR,
/// value, length, multiplicity and keyword; sequences indented.
/// </summary>
public static class DicomDumpWriter
{
    private const int MaxShownCharacters = 64;

    public static void Write(TextWriter output, DicomFile file)
    {
        output.WriteLine("# Dicom-Meta-Information-Header");
        WriteDataset(output, file.FileMetaInformation, 0);
        output.WriteLine();
        output.WriteLine($"# Dicom-Data-Set");
        output.WriteLine($"# Used TransferSyntax: {file.TransferSyntax.Name}");
        WriteDataset(output, file.Dataset, 0);
    }

    public static void WriteDataset(TextWriter output, DicomDataset dataset, int depth)
    {
        var indent = new string(' ', depth * 2);
        foreach (var element in dataset)
        {
            var keyword = Keyword(dataset, element.Tag);
            switch (element)
            {
                case DicomSequence sequence:
                    output.WriteLine($"{indent}{element.Tag} SQ (Sequence #={sequence.Items.Count})".PadRight(56) + $" #   u/l, 1 {keyword}");
                    for (var i = 0; i < sequence.Items.Count; i++)
                    {
                        output.WriteLine($"{indent}  (FFFE,E000) na (Item #{i + 1} with {sequence.Items[i].Count} elements)");
                        WriteDataset(output, sequence.Items[i], depth + 2);
                    }

                    break;
                case DicomFragmentSequence fragments:
                    output.WriteLine($"{indent}{element.Tag} {element.VR.Code} (PixelSequence #={fragments.Fragments.Count + 1})".PadRight(56) + $" #   u/l, 1 {keyword}");
                    output.WriteLine($"{indent}  (FFFE,E000) pi (offset table, {fragments.OffsetTable.Length} bytes)");
                    foreach (var fragment in fragments.Fragments)
                    {
                        output.WriteLine($"{indent}  (FFFE,E000) pi (fragment, {fragment.Length} bytes)");
                    }

                    break;
                case DicomValueElement value:
                    var (shown, multiplicity) = Show(dataset, value);
                    output.WriteLine($"{indent}{element.Tag} {element.VR.Code} {shown}".PadRight(56) + $" # {value.Length,5}, {multiplicity} {keyword}");
                    break;
                default:
                    break;
            }
        }
    }

    private static string Keyword(DicomDataset dataset, DicomTag tag)
    {
        if (tag.IsPrivate && !tag.IsPrivateCreator)
        {
            var creator = dataset.GetPrivateCreator(tag);
            if (creator is null)
            {
                return "PrivateTag";
            }

            // As dcmdump: the private dictionary's keyword when the creator's element is known.
            var entry = DicomPrivateDictionary.Find(creator, tag);
            return entry is { Keyword.Length: > 0 } ? entry.Keyword : $"PrivateTag [{creator}]";
        }

        return DicomDictionary.Find(tag)?.Keyword ?? "Unknown Tag & Data";
    }

    private static (string Shown, int Multiplicity) Show(DicomDataset dataset, DicomValueElement value)
    {
        if (value.IsEmpty)
        {
            return ("(no value available)", 0);
        }

        if (value.VR.Kind == DicomVRKind.Bulk)
        {
            if (!value.Buffer.IsInMemory || value.Length > 1024)
            {
                return ($"({value.Length} bytes of binary data)", 1);
            }

            var bytes = value.Buffer.GetMemory().Span;
            var sb = new StringBuilder();
            for (var i = 0; i < Math.Min(bytes.Length, 16); i++)
            {
                sb.Append(i > 0 ? "\\" : string.Empty).Append(bytes[i].ToString("x2", CultureInfo.InvariantCulture));
            }

            return (bytes.Length > 16 ? sb + "..." : sb.ToString(), 1);
        }

        var values = dataset.GetStrings(value.Tag);
        var joined = string.Join('\\', values);
        if (joined.Length > MaxShownCharacters)
        {
            joined = joined[..MaxShownCharacters] + "...";
        }

        return ($"[{joined}]", values.Length);
    }
}
