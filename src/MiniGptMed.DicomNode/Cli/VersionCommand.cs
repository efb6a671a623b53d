namespace MiniGptMed.DicomNode.Cli;

internal sealed class VersionCommand : ICommand
{
    public string Name => "version";

    public string Usage => "version";

    public string Summary => "Print the node's version.";

    public Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        stdout.WriteLine($"minigptmed {BuildVersion.Informational}");
        return Task.FromResult(0);
    }
}
