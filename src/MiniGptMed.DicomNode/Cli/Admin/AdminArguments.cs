using MiniGptMed.DicomNode.Catalogue;
using MiniGptMed.DicomNode.Jobs;

namespace MiniGptMed.DicomNode.Cli.Admin;

/// <summary>
/// The arguments of an admin verb: a sub-command, its positional argument, <c>--json</c> (a flag) and
/// <c>--name value</c> options, among them <c>--config</c> and <c>--data</c> exactly as <c>serve</c> takes them.
/// </summary>
internal sealed class AdminArguments
{
    private readonly NetworkArguments _options;

    public AdminArguments(string[] args, params string[] known)
    {
        Json = args.Contains("--json");
        _options = new NetworkArguments([.. args.Where(a => a != "--json")], [.. known, "--config", "--data"]);
        if (_options.Positional.Count == 0)
        {
            throw new CommandLineException("a sub-command is needed.");
        }

        SubCommand = _options.Positional[0];
    }

    public string SubCommand { get; }

    public bool Json { get; }

    public string? ConfigFile => _options.Has("--config") ? _options.Get("--config", "") : null;

    public string? DataDirectory => _options.Has("--data") ? _options.Get("--data", "") : null;

    public bool Has(string name) => _options.Has(name);

    public string? Get(string name) => _options.Has(name) ? _options.Get(name, "") : null;

    public int Limit(int fallback) => _options.GetInt("--limit", fallback, 1, 100_000);

    /// <summary>Exactly <paramref name="count"/> arguments after the sub-command.</summary>
    public IReadOnlyList<string> Operands(int count, string what)
    {
        var operands = _options.Positional.Skip(1).ToList();
        if (operands.Count < count)
        {
            throw new CommandLineException($"{SubCommand} needs {what}.");
        }

        if (operands.Count > count)
        {
            throw new CommandLineException($"unexpected argument '{operands[count]}'.");
        }

        return operands;
    }

    /// <summary>Options that only some sub-commands take: naming one elsewhere is a mistake, not something to ignore.</summary>
    public void Refuse(params string[] names)
    {
        foreach (var name in names.Where(_options.Has))
        {
            throw new CommandLineException($"{name} does not apply to '{SubCommand}'.");
        }
    }

    public static long JobId(string text) =>
        long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : throw new CommandLineException($"'{text}' is not a job id (a positive integer).");

    /// <summary><c>--state</c> of <c>jobs list</c>: one state or several separated by commas.</summary>
    public IReadOnlyCollection<JobState> JobStateFilter()
    {
        if (Get("--state") is not { } text)
        {
            return [];
        }

        var states = new HashSet<JobState>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            states.Add(JobStates.TryParse(part, out var state)
                ? state
                : throw new CommandLineException($"--state '{part}' is not a job state (pending, running, succeeded, retrying, dead_letter, cancelled)."));
        }

        return states;
    }

    /// <summary><c>--state</c> of <c>studies list</c>.</summary>
    public StudyState? StudyStateFilter()
    {
        if (Get("--state") is not { } text)
        {
            return null;
        }

        foreach (var state in Enum.GetValues<StudyState>())
        {
            if (string.Equals(StudyView.StateText(state), text.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return state;
            }
        }

        throw new CommandLineException($"--state '{text}' is not a study state ({string.Join(", ", Enum.GetValues<StudyState>().Select(StudyView.StateText))}).");
    }
}
