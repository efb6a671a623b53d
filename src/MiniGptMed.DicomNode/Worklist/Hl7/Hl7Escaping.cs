using System.Text;

namespace MiniGptMed.DicomNode.Worklist.Hl7;

/// <summary>
/// HL7 v2.5.1 escape sequences (Chapter 2, 2.7.4) with the encoding characters of MSH-2 <c>^~\&amp;</c>: the field
/// separator <c>|</c> becomes <c>\F\</c>, component <c>^</c> <c>\S\</c>, subcomponent <c>&amp;</c> <c>\T\</c>,
/// repetition <c>~</c> <c>\R\</c>, the escape character itself <c>\E\</c>. A line break in formatted text (FT) is
/// <c>\.br\</c> (2.7.6); elsewhere a line break cannot stand in a value (CR ends a segment), so it becomes a space.
/// Other control characters are dropped: they are not text.
/// </summary>
public static class Hl7Escaping
{
    public static string Escape(string? value, bool formattedText = false)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        var text = value.Replace("\r\n", "\n", StringComparison.Ordinal);
        var builder = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\':
                    builder.Append(@"\E\");
                    break;
                case '|':
                    builder.Append(@"\F\");
                    break;
                case '^':
                    builder.Append(@"\S\");
                    break;
                case '&':
                    builder.Append(@"\T\");
                    break;
                case '~':
                    builder.Append(@"\R\");
                    break;
                case '\n' or '\r':
                    builder.Append(formattedText ? @"\.br\" : " ");
                    break;
                default:
                    if (!char.IsControl(c) || c == '\t')
                    {
                        builder.Append(c == '\t' ? ' ' : c);
                    }

                    break;
            }
        }

        return builder.ToString();
    }
}
