using System.Net;
using MiniGptMed.Dicom.Imaging.Lut;
using MiniGptMed.Dicom.Imaging.Volumes;
using MiniGptMed.Dicom.Network;
using MiniGptMed.DicomNode.Assembly;
using MiniGptMed.DicomNode.Catalogue;
using MiniGptMed.DicomNode.Configuration;
using MiniGptMed.DicomNode.Export;
using MiniGptMed.Inference.Model;

namespace MiniGptMed.DicomNode.Administration;

/// <summary>
/// The checks of one item on its own (its fields' syntax and ranges); names, references and use are checked against
/// the stored configuration by <see cref="ConfigReferences"/>. Every error names its field; all are reported at once.
/// </summary>
public static class ConfigValidation
{
    /// <summary>Names of sources, destinations and rules: they appear in job keys (<c>export:&lt;study&gt;:&lt;name&gt;</c>) and on command lines.</summary>
    public const int MaxNameLength = 64;

    public static IReadOnlyList<FieldError> Check(ListeningAe ae)
    {
        var errors = new List<FieldError>();
        AeTitleField(errors, "aeTitle", ae.AeTitle);
        if (!Enum.IsDefined(ae.GroupBy))
        {
            errors.Add(new("groupBy", $"'{ae.GroupBy}' is not Study or Series."));
        }

        if (!Enum.IsDefined(ae.LateArrivals))
        {
            errors.Add(new("lateArrivals", $"'{ae.LateArrivals}' is not Ignore or Reanalyse."));
        }

        Range(errors, "stableSeconds", ae.StableSeconds, 1, 86400);
        Range(errors, "maxWaitSeconds", ae.MaxWaitSeconds, 1, 7 * 86400);
        if (ae.StableSeconds > ae.MaxWaitSeconds)
        {
            errors.Add(new("stableSeconds", $"{ae.StableSeconds} is more than maxWaitSeconds {ae.MaxWaitSeconds}: every group would be taken by the maximum wait."));
        }

        NameList(errors, "rules", ae.Rules);
        NameList(errors, "destinations", ae.Destinations);
        return errors;
    }

    public static IReadOnlyList<FieldError> Check(Source source)
    {
        var errors = new List<FieldError>();
        Name(errors, source.Name);
        if (source.AeTitle != Dicom.Network.Association.KnownSource.AnyAeTitle)
        {
            AeTitleField(errors, "aeTitle", source.AeTitle, orAny: true);
        }

        if (source.Addresses.Count == 0)
        {
            errors.Add(new("addresses", "is empty: list the IP addresses or CIDR networks it connects from."));
        }

        for (var i = 0; i < source.Addresses.Count; i++)
        {
            if (!ReceptionOptionsValidator.TryParseNetwork(source.Addresses[i] ?? "", out _))
            {
                errors.Add(new($"addresses[{i}]", $"'{source.Addresses[i]}' is not an IP address or CIDR network such as 10.1.0.0/16 (host names are not resolved; a CIDR's host bits must be zero)."));
            }
        }

        for (var i = 0; i < source.CalledAes.Count; i++)
        {
            AeTitleField(errors, $"calledAes[{i}]", source.CalledAes[i]);
        }

        if (source.ResultsPort is { } port)
        {
            Range(errors, "resultsPort", port, 1, 65535);
        }

        return errors;
    }

    public static IReadOnlyList<FieldError> Check(Destination destination)
    {
        var errors = new List<FieldError>();
        Name(errors, destination.Name);
        if (!Enum.IsDefined(destination.Type))
        {
            errors.Add(new("type", $"'{destination.Type}' is not Dicom or Folder."));
        }
        else if (destination.Type == DestinationType.Folder)
        {
            if (destination.Path.IndexOfAny(System.IO.Path.GetInvalidPathChars()) >= 0)
            {
                errors.Add(new("path", $"'{destination.Path}' is not a folder path."));
            }

            return errors;
        }

        AeTitleField(errors, "aeTitle", destination.AeTitle);
        Host(errors, "host", destination.Host);
        Range(errors, "port", destination.Port, 1, 65535);
        Range(errors, "attemptTimeoutSeconds", destination.AttemptTimeoutSeconds, 1, 86400);
        Range(errors, "retries", destination.Retries, 0, 100);
        Range(errors, "retryDelayMilliseconds", destination.RetryDelayMilliseconds, 1, 3_600_000);
        Range(errors, "breakAfterFailures", destination.BreakAfterFailures, 2, 10_000);
        Range(errors, "breakSeconds", destination.BreakSeconds, 1, 86400);
        if ((destination.TlsCertificateFile is null) != (destination.TlsKeyFile is null))
        {
            errors.Add(new("tlsCertificateFile", "and tlsKeyFile go together."));
        }

        if (destination.TlsCertificateFile is not null && destination.TlsCaFile is null)
        {
            errors.Add(new("tlsCertificateFile", "needs tlsCaFile (TLS is on when tlsCaFile is set)."));
        }

        foreach (var (file, field) in new[] { (destination.TlsCaFile, "tlsCaFile"), (destination.TlsCertificateFile, "tlsCertificateFile"), (destination.TlsKeyFile, "tlsKeyFile") })
        {
            if (file is not null && !File.Exists(file))
            {
                errors.Add(new(field, $"'{file}' does not exist."));
            }
        }

        return errors;
    }

    public static IReadOnlyList<FieldError> Check(AnalysisRule rule)
    {
        var errors = new List<FieldError>();
        Name(errors, rule.Name);
        if (rule.Tasks.Count == 0)
        {
            errors.Add(new("tasks", "is empty; a rule that analyses nothing is no rule (leave the group unmatched instead)."));
        }

        for (var t = 0; t < rule.Tasks.Count; t++)
        {
            if (!MedTaskExtensions.TryParse(rule.Tasks[t].Task, out _))
            {
                errors.Add(new($"tasks[{t}]", $"'{rule.Tasks[t].Task}' is not report, vqa, detection, grounding, refer or identify."));
            }
        }

        for (var i = 0; i < rule.CalledAes.Count; i++)
        {
            // Glob patterns over AE titles: the pattern itself must be AE-title text (no backslash, control characters).
            if (rule.CalledAes[i] is not { Length: > 0 and <= 16 } pattern || pattern.Any(c => c is < ' ' or > '~' or '\\'))
            {
                errors.Add(new($"calledAes[{i}]", $"'{rule.CalledAes[i]}' is not an AE title pattern ({AeTitle.Rule}; * and ? match)."));
            }
        }

        Parse(errors, "window", () => WindowPreset.Parse(rule.Window));
        Parse(errors, "slices", () => SliceSelection.Parse(rule.Slices));
        Range(errors, "maxImages", rule.MaxImages, 1, 1000);
        return errors;
    }

    /// <summary>PS3.5 6.2 (VR AE): 1-16 characters of the default repertoire, no backslash or control characters, not only spaces.</summary>
    public static void AeTitleField(List<FieldError> errors, string field, string? value, bool orAny = false)
    {
        var any = orAny ? " or *" : "";
        if (string.IsNullOrEmpty(value) || value.Trim().Length == 0)
        {
            errors.Add(new(field, $"is empty; an AE title is 1-16 characters{any} (PS3.5 6.2)."));
        }
        else if (value.Length > 16)
        {
            errors.Add(new(field, $"'{value}' is {value.Length} characters; an AE title is at most 16 (PS3.5 6.2)."));
        }
        else if (value.Contains('\\', StringComparison.Ordinal))
        {
            errors.Add(new(field, $"'{value}' has a backslash, which DICOM uses between values (PS3.5 6.2)."));
        }
        else if (!AeTitle.IsValid(value))
        {
            errors.Add(new(field, $"'{value}' has a control or non-ASCII character; an AE title uses the default repertoire (PS3.5 6.2)."));
        }
    }

    /// <summary>An IP address or a DNS name (RFC 1123 2.1: labels of letters, digits and hyphens, 1-63 characters, 253 in all).</summary>
    public static void Host(List<FieldError> errors, string field, string? host)
    {
        if (string.IsNullOrWhiteSpace(host))
        {
            errors.Add(new(field, "is empty; give a host name or an IP address."));
            return;
        }

        if (IPAddress.TryParse(host, out _))
        {
            return;
        }

        var labels = host.TrimEnd('.').Split('.');
        var valid = host.Length <= 253 && labels.All(l => l.Length is >= 1 and <= 63 && l[0] != '-' && l[^1] != '-'
            && l.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'));
        if (!valid)
        {
            errors.Add(new(field, $"'{host}' is not a host name or an IP address."));
        }
    }

    public static void Range(List<FieldError> errors, string field, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add(new(field, $"{value} is out of range; it must be {min}..{max}."));
        }
    }

    private static void Name(List<FieldError> errors, string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            errors.Add(new("name", "is empty."));
        }
        else if (name.Length > MaxNameLength || name.Any(c => c == ':' || char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            errors.Add(new("name", $"'{name}' must be 1-{MaxNameLength} characters without colon, space or control character."));
        }
    }

    private static void NameList(List<FieldError> errors, string field, IReadOnlyList<string> names)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            if (!seen.Add(names[i]))
            {
                errors.Add(new($"{field}[{i}]", $"'{names[i]}' is listed twice."));
            }
        }
    }

    private static void Parse(List<FieldError> errors, string field, Func<object> parse)
    {
        try
        {
            _ = parse();
        }
        catch (FormatException ex)
        {
            errors.Add(new(field, ex.Message));
        }
    }
}
