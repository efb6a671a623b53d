using MiniGptMed.Dicom.Network;

namespace MiniGptMed.DicomNode.Cli;

/// <summary>The options of the network verbs: <c>--name value</c> pairs and positional arguments.</summary>
internal sealed class NetworkArguments
{
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);

    public NetworkArguments(string[] args, params string[] known)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                Positional.Add(args[i]);
                continue;
            }

            if (!known.Contains(args[i]))
            {
                throw new CommandLineException($"unknown option '{args[i]}'.");
            }

            if (i + 1 >= args.Length)
            {
                throw new CommandLineException($"option '{args[i]}' needs a value.");
            }

            _options[args[i]] = args[++i];
        }
    }

    public List<string> Positional { get; } = [];

    public string Get(string name, string fallback) => _options.TryGetValue(name, out var value) ? value : fallback;

    public bool Has(string name) => _options.ContainsKey(name);

    public int GetInt(string name, int fallback, int min, int max)
    {
        if (!_options.TryGetValue(name, out var text))
        {
            return fallback;
        }

        return int.TryParse(text, out var value) && value >= min && value <= max
            ? value
            : throw new CommandLineException($"{name} must be an integer {min}..{max}, not '{text}'.");
    }

    /// <summary>PS3.5 6.2: an AE title is 1-16 characters of the default repertoire, no backslash, not all spaces.</summary>
    public string GetAeTitle(string name, string fallback)
    {
        var value = Get(name, fallback);
        return AeTitle.IsValid(value)
            ? value.Trim()
            : throw new CommandLineException($"{name} '{value}' is not an AE title ({AeTitle.Rule}).");
    }

    public static int GetPort(string text) =>
        int.TryParse(text, out var port) && port is > 0 and < 65536 ? port : throw new CommandLineException($"'{text}' is not a TCP port.");
}
