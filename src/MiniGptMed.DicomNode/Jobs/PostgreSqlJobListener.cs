using Microsoft.Extensions.Logging;
using MiniGptMed.DicomNode.Database;
using Npgsql;

namespace MiniGptMed.DicomNode.Jobs;

/// <summary>
/// Holds one connection in <c>LISTEN minigptmed_jobs</c> and turns each notification (sent by another node's
/// enqueue, retry or rescue, at its commit) into a wake-up of this process's workers. The notification carries
/// only a kind, never the job: workers claim from the table as always, and the poll covers the time this
/// connection is down.
/// </summary>
internal sealed class PostgreSqlJobListener(NpgsqlDataSource dataSource, IJobSignal signal, TimeProvider time, ILogger logger) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    /// <summary>Completes when the first LISTEN is in place (tests wait for it instead of sleeping).</summary>
    public Task Listening => _listening.Task;

    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

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
                connection.Notification += (_, _) => signal.Notify();
                await using (var listen = connection.Command(null, $"LISTEN {PostgreSqlDialect.Channel}"))
                {
                    await listen.ExecuteNonQueryAsync(stop).ConfigureAwait(false);
                }

                // Something may have been enqueued while this connection was down.
                signal.Notify();
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
