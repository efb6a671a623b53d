using MiniGptMed.DicomNode.Assembly;

namespace MiniGptMed.DicomNode.Administration;

/// <summary>
/// The checks of an item against the stored configuration: a free name on add, the names it refers to exist, and what
/// refers to an item about to be removed. Pure functions over a <see cref="ConfigSnapshot"/>.
/// </summary>
public static class ConfigReferences
{
    public static string NameOf<T>(T item) => item switch
    {
        ListeningAe ae => ae.AeTitle,
        Source s => s.Name,
        Destination d => d.Name,
        AnalysisRule r => r.Name,
        _ => throw new ArgumentException($"{typeof(T).Name} is not a configuration item.", nameof(item)),
    };

    /// <summary>The field that holds an item's name, as errors name it.</summary>
    public static string NameField(ConfigKind kind) => kind == ConfigKind.Ae ? "aeTitle" : "name";

    public static string Noun(ConfigKind kind) => kind switch
    {
        ConfigKind.Ae => "listening AE",
        ConfigKind.Source => "source",
        ConfigKind.Destination => "destination",
        _ => "rule",
    };

    public static IReadOnlyList<FieldError> Check<T>(T item, ConfigSnapshot stored)
    {
        var errors = new List<FieldError>();
        if (item is ListeningAe ae)
        {
            for (var i = 0; i < ae.Rules.Count; i++)
            {
                if (stored.Rules.All(r => r.Name != ae.Rules[i]))
                {
                    errors.Add(new($"rules[{i}]", $"'{ae.Rules[i]}' is not a rule (rule list shows them)."));
                }
            }

            for (var i = 0; i < ae.Destinations.Count; i++)
            {
                if (stored.Destinations.All(d => d.Name != ae.Destinations[i]))
                {
                    errors.Add(new($"destinations[{i}]", $"'{ae.Destinations[i]}' is not a destination (destination list shows them)."));
                }
            }
        }

        return errors;
    }

    /// <summary>What in the configuration refers to the item (the database adds studies and jobs not finished).</summary>
    public static IReadOnlyList<FieldError> Uses(ConfigKind kind, string name, ConfigSnapshot stored)
    {
        var uses = new List<FieldError>();
        switch (kind)
        {
            case ConfigKind.Ae:
                // A rule that names the AE itself (not a pattern that happens to match it) would silently stop applying.
                foreach (var rule in stored.Rules.Where(r => r.CalledAes.Any(p => !HasWildcard(p) && string.Equals(p.Trim(), name, StringComparison.Ordinal))))
                {
                    uses.Add(new("aeTitle", $"rule '{rule.Name}' applies to it (calledAes)."));
                }

                foreach (var source in stored.Sources.Where(s => s.CalledAes.Any(t => string.Equals(t.Trim(), name, StringComparison.Ordinal))))
                {
                    uses.Add(new("aeTitle", $"source '{source.Name}' may call it (calledAes)."));
                }

                break;
            case ConfigKind.Destination:
                foreach (var ae in stored.Aes.Where(a => a.Destinations.Contains(name)))
                {
                    uses.Add(new("name", $"listening AE '{ae.AeTitle}' sends its results there."));
                }

                break;
            case ConfigKind.Rule:
                foreach (var ae in stored.Aes.Where(a => a.Rules.Contains(name)))
                {
                    uses.Add(new("name", $"listening AE '{ae.AeTitle}' uses it."));
                }

                break;
        }

        return uses;
    }

    private static bool HasWildcard(string pattern) => pattern.Contains('*', StringComparison.Ordinal) || pattern.Contains('?', StringComparison.Ordinal);
}
