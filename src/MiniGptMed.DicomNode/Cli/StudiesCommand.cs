using System.Text.Json;
using MiniGptMed.Dicom.Data;
using MiniGptMed.DicomNode.Cli.Admin;
using MiniGptMed.DicomNode.Database;

namespace MiniGptMed.DicomNode.Cli;

/// <summary>
/// <c>minigptmed studies list|show UID</c>: the studies the node received, where each stands (state, analysis,
/// export per destination), from the database <c>serve</c> uses (same <c>--config</c>/<c>--data</c>). The catalogue
/// holds UIDs, AE titles and counts, never a patient's name or ID. Exit codes: 0 done, 1 failed (no such study,
/// database unreachable), 2 bad arguments or configuration.
/// </summary>
internal sealed class StudiesCommand : ICommand
{
    public string Name => "studies";

    public string Usage => "studies list [--state S] [--limit N] [--json] | show UID [--json]  [--config FILE] [--data DIR]";

    public string Summary => "List the received studies (count, times, state, analysis, exports), or show one study's groups and series.";

    public async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var arguments = new AdminArguments(args, "--state", "--limit");
        Func<StudyOverview, Task<int>> action = arguments.SubCommand switch
        {
            "list" => List(arguments, stdout, cancellationToken),
            "show" => Show(arguments, stdout, stderr, cancellationToken),
            var other => throw new CommandLineException($"unknown sub-command '{other}' (list, show)."),
        };
        return await NodeDatabaseAccess.RunAsync(Name, arguments.ConfigFile, arguments.DataDirectory, stderr, database => action(Overview(database))).ConfigureAwait(false);
    }

    private static StudyOverview Overview(NodeDatabase database) => new(database.Catalogue, database.Jobs);

    private static Func<StudyOverview, Task<int>> List(AdminArguments arguments, TextWriter stdout, CancellationToken cancellationToken)
    {
        arguments.Operands(0, "no argument");
        var state = arguments.StudyStateFilter();
        var limit = arguments.Limit(100);
        return async overview =>
        {
            var studies = await overview.ListAsync(state, limit, cancellationToken).ConfigureAwait(false);
            if (arguments.Json)
            {
                stdout.WriteLine(JsonSerializer.Serialize(studies.ToList(), AdminJsonContext.Default.ListStudyView));
            }
            else
            {
                StudiesText.WriteList(stdout, studies);
            }

            return 0;
        };
    }

    private static Func<StudyOverview, Task<int>> Show(AdminArguments arguments, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        arguments.Refuse("--state", "--limit");
        var uid = arguments.Operands(1, "a Study Instance UID")[0];
        if (!DicomUid.IsValid(uid))
        {
            throw new CommandLineException($"'{uid}' is not a UID (PS3.5 9.1: digits and dots, at most 64 characters).");
        }

        return async overview =>
        {
            if (await overview.ShowAsync(uid, cancellationToken).ConfigureAwait(false) is not { } study)
            {
                stderr.WriteLine($"minigptmed studies: study {uid} not found.");
                return 1;
            }

            if (arguments.Json)
            {
                stdout.WriteLine(JsonSerializer.Serialize(study, AdminJsonContext.Default.StudyDetailView));
            }
            else
            {
                StudiesText.WriteStudy(stdout, study);
            }

            return 0;
        };
    }
}
