using System.Collections.Concurrent;
using System.Text;

namespace MiniGptMed.Dicom.Data;

/// <summary>
/// The character sets a Specific Character Set (0008,0005) selects, turning the bytes of text
/// values into strings and back (PS3.5 6.1, PS3.3 C.12.1.1.2).
/// </summary>
/// <remarks>
/// Never throws on bad data. Decoding replaces bytes a character set does not define with U+FFFD;
/// bytes above 0x7F where no set covers them (the default repertoire) are read as ISO 8859-1,
/// which is what mislabelled files nearly always mean. Encoding writes '?' for characters the
/// sets lack. Either way the <c>out warning</c> overloads say what happened, without quoting the
/// text (it may be a patient's name). Unknown terms fall back to the default repertoire and are
/// listed in <see cref="Warnings"/>. Only SH, LO, ST, LT, PN, UC and UT use the extended sets
/// (PS3.5 6.1.2.3); other VRs are always read and written in the default repertoire.
/// Instances are immutable and thread-safe.
/// </remarks>
public sealed class DicomCharacterSet
{
    private const int CacheLimit = 256;

    private static readonly ConcurrentDictionary<string, DicomCharacterSet> Cache = new(StringComparer.Ordinal);

    private readonly Encoding? _wholeValue;
    private readonly int _wholeValueCodePage;
    private readonly HashSet<CodeElement> _designatable;

    private DicomCharacterSet(IReadOnlyList<string> terms)
    {
        Terms = terms;
        var warnings = new List<string>();
        var resolved = new List<CharacterSetTerm>();
        for (var i = 0; i < terms.Count; i++)
        {
            var term = terms[i].Trim(' ', '\0');
            if (term.Length == 0)
            {
                // PS3.3 C.12.1.1.2: an empty value 1 is the default repertoire (ISO 2022 IR 6 when extended).
                if (i == 0)
                {
                    resolved.Add(CharacterSetTerm.Default);
                }

                continue;
            }

            if (!CharacterSetTerm.TryGet(term, out var found)
                && !(term.StartsWith("ISO_IR ", StringComparison.Ordinal) && CharacterSetTerm.TryGet("ISO 2022 IR " + term[7..], out found)))
            {
                warnings.Add($"Specific Character Set term '{term}' is not defined in PS3.3 C.12.1.1.2 and is ignored" +
                             (i == 0 ? "; the default repertoire is used for value 1." : "."));
                if (i == 0)
                {
                    resolved.Add(CharacterSetTerm.Default);
                }

                continue;
            }

            if (i > 0 && !found.CodeExtensions && found.WholeValueCodePage == 0 && terms.Count > 1)
            {
                // "ISO_IR 100" as value 2 is invalid (multiple values need ISO 2022 terms) but the intent is clear.
                warnings.Add($"Specific Character Set term '{term}' in value {i + 1} should be an 'ISO 2022' term; read as one.");
            }

            resolved.Add(found);
        }

        if (resolved.Count == 0)
        {
            resolved.Add(CharacterSetTerm.Default);
        }

        var first = resolved[0];
        if (first.WholeValueCodePage != 0 || resolved.Skip(1).Any(t => t.WholeValueCodePage != 0))
        {
            // PS3.5 6.1.2.5.4 d: UTF-8, GB18030 and GBK cannot be combined with code extensions.
            var whole = first.WholeValueCodePage != 0 ? first : resolved.First(t => t.WholeValueCodePage != 0);
            if (resolved.Count > 1)
            {
                warnings.Add($"'{whole.Term}' cannot be combined with other character sets; only it is used.");
            }

            _wholeValueCodePage = whole.WholeValueCodePage;
            _wholeValue = CodePages.Get(_wholeValueCodePage);
            resolved = [whole];
        }

        var extended = resolved.Count > 1 || first.CodeExtensions;
        InitialG0 = first.G0 is { BytesPerCharacter: 1 } g0 ? g0 : CodeElements.Ascii;
        InitialG1 = first.G1;
        Elements = resolved.SelectMany(t => new[] { t.G0, t.G1 }).OfType<CodeElement>().Distinct().ToArray();
        _designatable = extended ? [.. Elements, CodeElements.Ascii] : [InitialG0, .. InitialG1 is null ? Array.Empty<CodeElement>() : [InitialG1]];
        Warnings = warnings;
        IsDefault = _wholeValue is null && InitialG1 is null && !extended && ReferenceEquals(InitialG0, CodeElements.Ascii);
    }

    /// <summary>The default repertoire (ISO-IR 6), used when (0008,0005) is absent or empty.</summary>
    public static DicomCharacterSet Default { get; } = new([]);

    /// <summary>The values of (0008,0005) this set was made from.</summary>
    public IReadOnlyList<string> Terms { get; }

    /// <summary>Problems with the terms themselves (unknown or misused), for the caller to log once.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>True for the default repertoire alone.</summary>
    public bool IsDefault { get; }

    internal CodeElement InitialG0 { get; }

    internal CodeElement? InitialG1 { get; }

    /// <summary>The code elements of all terms in the order of (0008,0005), for the encoder to choose from.</summary>
    internal CodeElement[] Elements { get; }

    /// <summary>The set for the values of (0008,0005), e.g. ["", "ISO 2022 IR 87"]; null or empty means the default.</summary>
    public static DicomCharacterSet FromSpecificCharacterSet(IReadOnlyList<string>? values)
    {
        if (values is null || values.Count == 0 || (values.Count == 1 && values[0].Trim(' ', '\0').Length == 0))
        {
            return Default;
        }

        var key = string.Join('\\', values);
        if (Cache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var created = new DicomCharacterSet([.. values]);
        if (Cache.Count < CacheLimit)
        {
            Cache.TryAdd(key, created);
        }

        return created;
    }

    /// <summary>Same as <see cref="FromSpecificCharacterSet"/>: the name the data set code uses.</summary>
    public static DicomCharacterSet FromTerms(IReadOnlyList<string>? terms) => FromSpecificCharacterSet(terms);

    /// <summary>The set for the raw text of (0008,0005), values separated by '\'.</summary>
    public static DicomCharacterSet Parse(string? specificCharacterSet) =>
        string.IsNullOrEmpty(specificCharacterSet)
            ? Default
            : FromSpecificCharacterSet(specificCharacterSet.Split('\\'));

    public string Decode(ReadOnlySpan<byte> bytes, DicomVR vr) => Decode(bytes, vr, out _);

    /// <summary>Decodes a value (all its values, with the '\' separators); <paramref name="warning"/> is null when clean.</summary>
    public string Decode(ReadOnlySpan<byte> bytes, DicomVR vr, out string? warning)
    {
        ArgumentNullException.ThrowIfNull(vr);
        warning = null;
        if (bytes.IndexOfAnyInRange((byte)0x80, (byte)0xFF) < 0 && bytes.IndexOf((byte)0x1B) < 0)
        {
            // All the sets agree on bytes 0x00-0x7F without escapes (JIS X 0201 Romaji too, as read here).
            return Encoding.Latin1.GetString(bytes);
        }

        if (!vr.UsesSpecificCharacterSet && !IsDefault)
        {
            return Default.Decode(bytes, vr, out warning);
        }

        if (_wholeValue is not null)
        {
            return DecodeWholeValue(bytes, out warning);
        }

        var issues = default(TextIssues);
        var text = Iso2022Decoder.Decode(bytes, vr, this, ref issues);
        warning = issues.ToWarning(this);
        return text;
    }

    public byte[] Encode(string text, DicomVR vr) => Encode(text, vr, out _);

    /// <summary>Encodes a value (without padding); <paramref name="warning"/> is null when every character fitted.</summary>
    public byte[] Encode(string text, DicomVR vr, out string? warning)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(vr);
        warning = null;
        if (System.Text.Ascii.IsValid(text) && !text.Contains('\u001B', StringComparison.Ordinal))
        {
            return Encoding.ASCII.GetBytes(text);
        }

        if (!vr.UsesSpecificCharacterSet && !IsDefault)
        {
            return Default.Encode(text, vr, out warning);
        }

        if (_wholeValue is not null)
        {
            return EncodeWholeValue(text, out warning);
        }

        var issues = default(TextIssues);
        var bytes = Iso2022Encoder.Encode(text, vr, this, ref issues);
        warning = issues.ToWarning(this);
        return bytes;
    }

    internal bool AllowsDesignation(CodeElement element) => _designatable.Contains(element);

    public override string ToString() =>
        Terms.Count == 0 || Terms.All(t => t.Trim(' ', '\0').Length == 0)
            ? "the default repertoire"
            : "'" + string.Join('\\', Terms) + "'";

    private string DecodeWholeValue(ReadOnlySpan<byte> bytes, out string? warning)
    {
        warning = null;
        try
        {
            return _wholeValue!.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            var lenient = Encoding.GetEncoding(_wholeValueCodePage, EncoderFallback.ReplacementFallback, new DecoderReplacementFallback("\uFFFD"));
            warning = $"Bytes not valid in {this} were replaced by U+FFFD.";
            return lenient.GetString(bytes);
        }
    }

    private byte[] EncodeWholeValue(string text, out string? warning)
    {
        warning = null;
        try
        {
            return _wholeValue!.GetBytes(text);
        }
        catch (EncoderFallbackException)
        {
            var lenient = Encoding.GetEncoding(_wholeValueCodePage, new EncoderReplacementFallback("?"), DecoderFallback.ReplacementFallback);
            warning = $"Characters that {this} cannot encode were written as '?'.";
            return lenient.GetBytes(text);
        }
    }
}
