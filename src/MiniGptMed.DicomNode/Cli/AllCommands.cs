namespace MiniGptMed.DicomNode.Cli;

/// <summary>The list of verbs. Each subsystem adds its command here.</summary>
internal static class AllCommands
{
    public static IEnumerable<ICommand> Create()
    {
        yield return new VersionCommand();
        yield return new DumpCommand();
        yield return new EchoCommand();
        yield return new SendCommand();
        yield return new ServeCommand();
        yield return new AnalyzeCommand();
        yield return new RenderCommand();
        yield return new StudiesCommand();
        yield return new JobsCommand();
        yield return new UserCommand();
        yield return new WorklistCommand();
        yield return new EvaluateCommand();
    }
}
