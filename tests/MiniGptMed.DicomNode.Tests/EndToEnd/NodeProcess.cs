using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MiniGptMed.DicomNode.Tests.Support;

namespace MiniGptMed.DicomNode.Tests.EndToEnd;

/// <summary>
/// The node as an operator runs it: <c>minigptmed serve --config FILE --data DIR --port 0</c> as a child process (the
/// build beside the tests), the bundled small model (or another model folder), its own data folder. <see cref="Kill"/> is SIGKILL: no shutdown
/// code runs. The admin verbs (<see cref="CliAsync"/>) run against the same configuration and data folder.
/// </summary>
internal sealed class NodeProcess : IAsyncDisposable
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "minigptmed.dll");

    private readonly ConcurrentQueue<string> _log = new();
    private readonly TaskCompletionSource<int> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Process _process;
    private readonly List<(string Text, TaskCompletionSource Seen)> _watches = [];

    private NodeProcess(Process process) => _process = process;

    /// <summary>The port the node listens on (the OS chose it: <c>--port 0</c>).</summary>
    public int Port { get; private set; }

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the node logged, for failure messages.</summary>
    public string Log => string.Join('\n', _log);

    /// <summary>
    /// A configuration for fast tests: quiet after <paramref name="stableSeconds"/>, short polls and leases (a killed
    /// node's jobs come back quickly), audit off, one DICOM export destination (or none: results stay in the data folder).
    /// </summary>
    public static JsonObject Configuration(int stableSeconds, JsonObject? destination, int maxAttempts = 5) => new()
    {
        ["Logging"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Default"] = "Information", ["Microsoft"] = "Warning" } },
        ["Reception"] = new JsonObject { ["ListeningAes"] = new JsonArray(new JsonObject { ["AeTitle"] = "MINIGPTMED", ["RequireKnownSource"] = false }) },
        ["Storage"] = new JsonObject { ["MinimumFreeMegabytes"] = 16 },
        ["Audit"] = new JsonObject { ["Enabled"] = false },
        ["Assembly"] = new JsonObject { ["StableSeconds"] = stableSeconds, ["PollMilliseconds"] = 200 },
        ["Jobs"] = new JsonObject
        {
            ["MaxAttempts"] = maxAttempts, ["BackoffBaseSeconds"] = 1, ["BackoffMaxSeconds"] = 2, ["LeaseSeconds"] = 3, ["PollSeconds"] = 1,
            ["MaintenanceSeconds"] = 1,
        },
        // The small model on one CT slice or the radiograph: a few seconds per study.
        ["AnalysisRules"] = new JsonObject
        {
            ["Rules"] = new JsonArray(
                new JsonObject
                {
                    ["Name"] = "chest-radiograph", ["Modalities"] = new JsonArray("CR", "DX"),
                    ["Tasks"] = new JsonArray(new JsonObject { ["Task"] = "detection", ["Prompt"] = "pneumonia" }), ["Window"] = "dataset", ["Slices"] = "all", ["MaxImages"] = 1,
                },
                new JsonObject
                {
                    ["Name"] = "chest-ct", ["Modalities"] = new JsonArray("CT"),
                    ["Tasks"] = new JsonArray(new JsonObject { ["Task"] = "detection", ["Prompt"] = "nodule" }), ["Window"] = "lung", ["Slices"] = "middle", ["MaxImages"] = 1,
                }),
        },
        ["Export"] = new JsonObject { ["Destinations"] = destination is null ? new JsonArray() : new JsonArray(destination) },
    };

    /// <summary>An export destination with quick retries (Polly: <paramref name="retries"/> more attempts 200 ms apart).</summary>
    public static JsonObject Destination(string aeTitle, int dicomPort, int retries = 1) => new()
    {
        ["Name"] = "pacs", ["AeTitle"] = aeTitle, ["Host"] = "127.0.0.1", [nameof(Port)] = dicomPort, ["AttemptTimeoutSeconds"] = 15, ["Retries"] = retries,
        ["RetryDelayMilliseconds"] = 200, ["BreakAfterFailures"] = 1000, ["BreakSeconds"] = 1,
    };

    /// <summary>Starts <c>serve</c>; with <paramref name="modelDirectory"/> (<c>MINIGPTMED_MODEL_DIR</c>) instead of the bundled small model.</summary>
    public static async Task<NodeProcess> StartAsync(string configFile, string dataDirectory, string? modelDirectory = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dataDirectory };
        foreach (var argument in new[] { Dll, "serve", "--config", configFile, "--data", dataDirectory, "--port", "0" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["MINIGPTMED_MODEL_DIR"] = modelDirectory ?? TestPaths.SmallModel;
        var node = new NodeProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start."));
        node._process.OutputDataReceived += (_, e) => node.Keep(e.Data);
        node._process.ErrorDataReceived += (_, e) => node.Keep(e.Data);
        node._process.EnableRaisingEvents = true;
        node._process.Exited += (_, _) => node._listening.TrySetException(new InvalidOperationException($"serve exited:\n{node.Log}"));
        node._process.BeginOutputReadLine();
        node._process.BeginErrorReadLine();
        // serve prints "minigptmed serve: port N, storing into DIR" once it listens: the readiness signal.
        node.Port = await node._listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return node;
    }

    /// <summary>Completes when the node logs a line containing one of <paramref name="texts"/> (from now on, or among the lines kept).</summary>
    public Task WhenLoggedAsync(TimeSpan timeout, params string[] texts)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_watches)
        {
            if (_log.Any(l => texts.Any(t => l.Contains(t, StringComparison.Ordinal))))
            {
                return Task.CompletedTask;
            }

            foreach (var text in texts)
            {
                _watches.Add((text, seen));
            }
        }

        return seen.Task.WaitAsync(timeout);
    }

    /// <summary>SIGKILL (Process.Kill on Linux): the node gets no chance to finish anything.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
    }

    /// <summary>Runs <c>minigptmed ARGS --config FILE --data DIR</c> (an admin verb on the node's database).</summary>
    public static Task<ExternalProcess.Result> CliAsync(string configFile, string dataDirectory, params string[] arguments) =>
        ExternalProcess.RunAsync("dotnet", [Dll, .. arguments, "--config", configFile, "--data", dataDirectory], timeout: TimeSpan.FromSeconds(60));

    /// <summary><c>jobs list --json</c>, parsed.</summary>
    public static async Task<JsonElement> JobsAsync(string configFile, string dataDirectory)
    {
        var result = await CliAsync(configFile, dataDirectory, "jobs", "list", "--json", "--limit", "1000");
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"jobs list exited with {result.ExitCode}: {result.Output}");
        }

        using var document = JsonDocument.Parse(result.StandardOutput);
        return document.RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        const string Ready = "minigptmed serve: port ";
        if (line.StartsWith(Ready, StringComparison.Ordinal))
        {
            var digits = line[Ready.Length..].Split(',')[0];
            _listening.TrySetResult(int.Parse(digits, CultureInfo.InvariantCulture));
        }

        lock (_watches)
        {
            _log.Enqueue(line);
            foreach (var watch in _watches.Where(w => line.Contains(w.Text, StringComparison.Ordinal)).ToList())
            {
                watch.Seen.TrySetResult();
            }

            _watches.RemoveAll(w => w.Seen.Task.IsCompleted);
        }

        while (_log.Count > 2000 && _log.TryDequeue(out _))
        {
        }
    }
}
