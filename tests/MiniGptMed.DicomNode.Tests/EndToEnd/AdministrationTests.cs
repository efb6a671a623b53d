using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MiniGptMed.DicomNode.Tests.Support;

namespace MiniGptMed.DicomNode.Tests.EndToEnd;

/// <summary>
/// The configuration verbs against a running node (a child process, its SQLite database beside it): a change made
/// through the CLI applies to the next association without a restart, and appsettings seeds the tables once.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class AdministrationTests
{
    [Fact]
    public async Task AnAeAddedThroughTheCli_AnswersEchoscu_WithoutARestart_AndStopsWhenRemoved()
    {
        await using var sandbox = new NodeSandbox(NodeProcess.Configuration(stableSeconds: 10, destination: null));
        var node = await sandbox.StartAsync();
        var port = node.Port.ToString(CultureInfo.InvariantCulture);
        await node.WhenLoggedAsync(TimeSpan.FromSeconds(30), "configuration version 1 in force");

        var before = await ExternalTool.RunAsync("echoscu", ["-aet", "MODALITY", "-aec", "CHEST", "127.0.0.1", port]);
        Assert.True(before.ExitCode != 0, $"CHEST answered before it was added:\n{before.Output}");

        var add = await sandbox.CliAsync("ae", "add", "CHEST", "--stable-seconds", "5");
        Assert.True(add.ExitCode == 0, add.Output);
        // The node reads the stored version every Administration:PollMilliseconds and logs the version it applied.
        await node.WhenLoggedAsync(TimeSpan.FromSeconds(30), "configuration version 2 applied");
        var after = await ExternalTool.RunAsync("echoscu", ["-aet", "MODALITY", "-aec", "CHEST", "127.0.0.1", port]);
        Assert.True(after.ExitCode == 0, $"{after.Output}\n{node.Log}");

        var remove = await sandbox.CliAsync("ae", "remove", "CHEST");
        Assert.True(remove.ExitCode == 0, remove.Output);
        await node.WhenLoggedAsync(TimeSpan.FromSeconds(30), "configuration version 3 applied");
        var removed = await ExternalTool.RunAsync("echoscu", ["-aet", "MODALITY", "-aec", "CHEST", "127.0.0.1", port]);
        Assert.True(removed.ExitCode != 0, $"CHEST still answered after its removal:\n{removed.Output}");
        Assert.False(node.HasExited);
    }

    [Fact]
    public async Task Appsettings_SeedsOnTheFirstStartOnly_ThenTheDatabaseIsTheTruth()
    {
        await using var sandbox = new NodeSandbox(NodeProcess.Configuration(stableSeconds: 10, destination: null));
        var node = await sandbox.StartAsync();
        await node.WhenLoggedAsync(TimeSpan.FromSeconds(30), "seeded from appsettings.json");
        Assert.Equal(0, (await sandbox.CliAsync("ae", "add", "CHEST")).ExitCode);
        node.Kill();

        // The file now names another AE: it is not read for AEs any more.
        var configuration = NodeProcess.Configuration(stableSeconds: 10, destination: null);
        configuration["Reception"]!["ListeningAes"] = new JsonArray(new JsonObject { ["AeTitle"] = "FROMFILE" });
        await File.WriteAllTextAsync(sandbox.ConfigFile, configuration.ToJsonString());
        var restarted = await sandbox.StartAsync();
        await restarted.WhenLoggedAsync(TimeSpan.FromSeconds(30), "in force");

        var list = await sandbox.CliAsync("ae", "list", "--json");
        Assert.True(list.ExitCode == 0, list.Output);
        using var aes = JsonDocument.Parse(list.Stdout);
        Assert.Equal(["CHEST", "MINIGPTMED"], aes.RootElement.EnumerateArray().Select(a => a.GetProperty("aeTitle").GetString()).Order(StringComparer.Ordinal));
        Assert.DoesNotContain("seeded from appsettings.json", restarted.Log, StringComparison.Ordinal);
        var echo = await ExternalTool.RunAsync("echoscu", ["-aet", "MODALITY", "-aec", "CHEST", "127.0.0.1", restarted.Port.ToString(CultureInfo.InvariantCulture)]);
        Assert.True(echo.ExitCode == 0, $"{echo.Output}\n{restarted.Log}");
    }
}
