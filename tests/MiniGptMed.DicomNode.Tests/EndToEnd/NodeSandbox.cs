using System.Text.Json.Nodes;
using MiniGptMed.DicomNode.Tests.Support;

namespace MiniGptMed.DicomNode.Tests.EndToEnd;

/// <summary>A temporary data folder and configuration file for one <c>serve</c> child process, restartable after a kill.</summary>
internal sealed class NodeSandbox : IAsyncDisposable
{
    private readonly TempDirectory _folder = new();
    private readonly string? _modelDirectory;

    /// <param name="modelDirectory">The model <c>serve</c> runs; the bundled small model when null.</param>
    public NodeSandbox(JsonObject configuration, string? modelDirectory = null)
    {
        _modelDirectory = modelDirectory;
        Directory.CreateDirectory(Data);
        File.WriteAllText(ConfigFile, configuration.ToJsonString());
    }

    public string Data => _folder["data"];

    public string ConfigFile => _folder["node.json"];

    public NodeProcess? Node { get; private set; }

    public async Task<NodeProcess> StartAsync()
    {
        if (Node is not null)
        {
            await Node.DisposeAsync();
        }

        Node = await NodeProcess.StartAsync(ConfigFile, Data, _modelDirectory);
        return Node;
    }

    public Task<ExternalProcess.Result> CliAsync(params string[] arguments) => NodeProcess.CliAsync(ConfigFile, Data, arguments);

    public Task<System.Text.Json.JsonElement> JobsAsync() => NodeProcess.JobsAsync(ConfigFile, Data);

    public async ValueTask DisposeAsync()
    {
        if (Node is not null)
        {
            await Node.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}

/// <summary>The end-to-end classes run one at a time: each runs a node, Orthanc or storescp and the model on a small machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndToEndCollection
{
    public const string Name = "EndToEnd";
}
