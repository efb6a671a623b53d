using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MiniGptMed.Dicom.Network;
using MiniGptMed.Dicom.Network.Association;
using MiniGptMed.DicomNode.Administration;
using MiniGptMed.DicomNode.Cli;
using MiniGptMed.DicomNode.Configuration;
using MiniGptMed.DicomNode.Database;
using MiniGptMed.DicomNode.Reception;
using MiniGptMed.DicomNode.Tests.Support;

namespace MiniGptMed.DicomNode.Tests.Configuration;

/// <summary>
/// A PostgreSQL node follows a configuration change made by another process at once: the change NOTIFYs in its
/// transaction and the node LISTENs. The version poll is set to ten minutes here, so only the notification can explain
/// the change being applied within the test's wait.
/// </summary>
#pragma warning disable CA1001 // The folder is disposed by IAsyncLifetime.DisposeAsync.
public sealed class PostgreSqlConfigNotifyTests : IAsyncLifetime
#pragma warning restore CA1001
{
    private readonly PostgreSqlTestDatabase _database = new();
    private readonly TempDirectory _folder = new();

    public Task InitializeAsync() => _database.CreateAsync();

    public async Task DisposeAsync()
    {
        await _database.DropAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task AnAeAddedThroughTheCli_IsAnsweredByTheRunningNode_WithoutWaitingForThePoll()
    {
        var config = _folder["node.json"];
        await File.WriteAllTextAsync(config, $$"""
            {
              "Database": { "Provider": "PostgreSql", "ConnectionString": "{{_database.ConnectionString}}" },
              "Administration": { "PollMilliseconds": 600000 },
              "Reception": { "Port": 0, "ListeningAes": [ { "AeTitle": "NODE" } ] },
              "Audit": { "Enabled": false }
            }
            """);
        using var host = NodeHost.Build(new NodeHostSettings { ConfigFile = config, DataDirectory = _folder["data"] });
        await host.StartAsync();
        try
        {
            await host.Services.GetRequiredService<NodeDatabase>().ListeningAsync.WaitAsync(TimeSpan.FromSeconds(30));
            var cache = host.Services.GetRequiredService<ConfigSnapshotCache>();
            var applied = new TaskCompletionSource<ConfigSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
            cache.Applied += snapshot =>
            {
                if (snapshot.Aes.Any(a => a.AeTitle == "CHEST"))
                {
                    applied.TrySetResult(snapshot);
                }
            };
            var port = host.Services.GetRequiredService<ReceptionService>().LocalEndPoint.Port;
            await Assert.ThrowsAsync<AssociationRejectedException>(() => new DicomClient("127.0.0.1", port, "CT", "CHEST").EchoAsync());

            // The CLI opens the database itself (its own connections, as from another process or node).
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            Assert.True(await CommandLine.RunAsync(["ae", "add", "CHEST", "--config", config, "--data", _folder["data"]], stdout, stderr) == 0, stderr.ToString());

            // A minute at most, a tenth of the poll interval (a loaded machine takes a second or two).
            var snapshot = await applied.Task.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(snapshot.Version, await host.Services.GetRequiredService<IAdministration>().VersionAsync());
            Assert.Equal(0, await new DicomClient("127.0.0.1", port, "CT", "CHEST").EchoAsync());
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
