using System.Globalization;
using Microsoft.Extensions.Primitives;
using MiniGptMed.DicomNode.Administration;

namespace MiniGptMed.DicomNode.Http.Pages;

/// <summary>How one input of a configuration form is shown and read.</summary>
internal enum InputKind
{
    Text,
    Number,
    Checkbox,
    Choice,

    /// <summary>Several values, one per line or separated by commas (addresses, AE titles, rule names).</summary>
    List,
}

/// <summary>
/// One input: <see cref="Field"/> is the name the validation uses (<see cref="FieldError.Field"/>, camelCase), so each
/// message of <see cref="IConfigSet{T}"/> lands beside the input it is about.
/// </summary>
internal sealed record FormField(string Field, string Label, InputKind Kind, string? Help = null, IReadOnlyList<string>? Choices = null);

/// <summary>
/// A kind of configuration item as the console shows it: its list columns, its form's inputs, and the two mappings
/// between the item and the form's text values (written out per kind: no reflection, AOT).
/// </summary>
internal sealed record ConfigForm<T>(
    string Path,
    string Title,
    string Noun,
    Func<IAdministration, IConfigSet<T>> Set,
    Func<T, string> NameOf,
    IReadOnlyList<FormField> Fields,
    IReadOnlyList<string> Columns,
    Func<T, IReadOnlyList<string>> Row,
    Func<T, IReadOnlyDictionary<string, string>> Values,
    Func<FormReader, T> Read) where T : class;

/// <summary>Reads a posted form into typed values, collecting the fields that do not parse (reported like the service's errors).</summary>
internal sealed class FormReader(IFormCollection form)
{
    public List<FieldError> Errors { get; } = [];

    public string Text(string field) => form.TryGetValue(field, out var value) ? value.ToString().Trim() : "";

    public string? Optional(string field) => Text(field) is { Length: > 0 } text ? text : null;

    public bool Checked(string field) => form.TryGetValue(field, out var value) && value != StringValues.Empty && value.ToString() is "on" or "true";

    public int Number(string field, int fallback)
    {
        var text = Text(field);
        if (text.Length == 0)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        Errors.Add(new FieldError(field, $"'{text}' is not a whole number."));
        return fallback;
    }

    public int? OptionalNumber(string field) => Text(field).Length == 0 ? null : Number(field, 0);

    public IReadOnlyList<string> List(string field) =>
        Text(field).Split([',', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public TEnum Choice<TEnum>(string field, TEnum fallback) where TEnum : struct, Enum
    {
        var text = Text(field);
        if (text.Length == 0)
        {
            return fallback;
        }

        if (Enum.TryParse<TEnum>(text, ignoreCase: true, out var value) && Enum.IsDefined(value))
        {
            return value;
        }

        Errors.Add(new FieldError(field, $"'{text}' is not one of {string.Join(", ", Enum.GetNames<TEnum>())}."));
        return fallback;
    }
}
