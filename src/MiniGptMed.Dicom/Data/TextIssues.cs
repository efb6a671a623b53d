using System.Globalization;
using System.Text;

namespace MiniGptMed.Dicom.Data;

/// <summary>
/// What went wrong while decoding or encoding one value, gathered into one warning. It names
/// offsets and character sets only, never the text, which may be a patient's name.
/// </summary>
internal struct TextIssues
{
    private int _invalidBytes;
    private int _firstInvalid;
    private int _latin1Bytes;
    private int _firstLatin1;
    private int _unencodable;
    private int _firstUnencodable;
    private List<string>? _undeclared;

    public readonly bool Any => _invalidBytes + _latin1Bytes + _unencodable > 0 || _undeclared is not null;

    public void Invalid(int offset, int count)
    {
        if (_invalidBytes == 0)
        {
            _firstInvalid = offset;
        }

        _invalidBytes += count;
    }

    public void Latin1Fallback(int offset)
    {
        if (_latin1Bytes++ == 0)
        {
            _firstLatin1 = offset;
        }
    }

    public void Unencodable(int index)
    {
        if (_unencodable++ == 0)
        {
            _firstUnencodable = index;
        }
    }

    public void UndeclaredEscape(CodeElement element)
    {
        _undeclared ??= [];
        if (!_undeclared.Contains(element.IsoIr))
        {
            _undeclared.Add(element.IsoIr);
        }
    }

    public readonly string? ToWarning(DicomCharacterSet charset)
    {
        if (!Any)
        {
            return null;
        }

        var parts = new List<string>();
        if (_invalidBytes > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture,
                $"{_invalidBytes} byte(s) are not valid in {charset} (first at offset {_firstInvalid}) and were replaced by U+FFFD"));
        }

        if (_latin1Bytes > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture,
                $"{_latin1Bytes} byte(s) above 0x7F with no character set for them in {charset} (first at offset {_firstLatin1}) were read as ISO 8859-1"));
        }

        if (_unencodable > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture,
                $"{_unencodable} character(s) cannot be encoded in {charset} (first at index {_firstUnencodable}) and were written as '?'"));
        }

        if (_undeclared is not null)
        {
            parts.Add($"escape sequences designate {string.Join(", ", _undeclared)}, which {charset} does not declare");
        }

        var warning = new StringBuilder();
        warning.AppendJoin("; ", parts).Append('.');
        return warning.ToString();
    }
}
