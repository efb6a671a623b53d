using Microsoft.Extensions.Logging;
using Npgsql;

namespace MiniGptMed.DicomNode.Database;

/// <summary>
/// Holds one connection in <c>LISTEN</c> on the node's channels and hands each notification to its channel's handler:
/// <c>minigptmed_jobs</c> (another node's enqueue, retry or rescue) wakes this process's workers,
/// <c>minigptmed_config</c> (a configuration change of another process: the CLI, another node, its HTTP API) makes
/// the node read the configuration again at once. Notifications are sent inside the writer's transaction and
/// delivered at its commit; they carry a kind or a version, never the job or the item: the tables stay the truth, and
/// the polls cover the time this connection is down. Every handler is also called when (re)connected, for what may
/// have happened meanwhile.
/// </summary>
internal sealed class PostgreSqlListener(NpgsqlDataSource dataSource, IReadOnlyDictionary<string, Action<string>> handlers, TimeProvider time, ILogger logger)
    : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loop;

    /// <summary>Completes when the first LISTEN is in place (tests wait for it instead of sleeping).</summary>
    public Task Listening => _listening.Task;

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is { } loop)
        {
            try
            {
                await loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stop).ConfigureAwait(false);
                connection.Notification += (_, e) =>
                {
                    if (handlers.TryGetValue(e.Channel, out var handler))
                    {
                        handler(e.Payload);
                    }
                };
                // Channel names are our constants, never input.
                await using (var listen = connection.Command(null, string.Concat(handlers.Keys.Select(channel => $"LISTEN {channel};"))))
                {
                    await listen.ExecuteNonQueryAsync(stop).ConfigureAwait(false);
                }

                // Something may have changed while this connection was down.
                foreach (var handler in handlers.Values)
                {
                    handler("");
                }

                _listening.TrySetResult();
                delay = TimeSpan.FromSeconds(1);
                while (true)
                {
                    await connection.WaitAsync(stop).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or System.IO.IOException or System.Net.Sockets.SocketException or TimeoutException)
            {
                DatabaseLog.ListenLost(logger, ex);
                await Task.Delay(delay, time, stop).ConfigureAwait(false);
                delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 30));
            }
        }
    }
}
