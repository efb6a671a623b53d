using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace MiniGptMed.DicomNode.Administration;

/// <summary>
/// The configuration in force in this process: the last snapshot read from the database. The stages do not query
/// the database per association or per job: the options they already read (<c>IOptionsMonitor</c>) are rebuilt from
/// this snapshot (<see cref="ConfigOverlay"/>) when it changes, and the change token here tells the monitors so.
/// Until the first load (the node's start) nothing is overlaid: appsettings.json is what there is.
/// </summary>
public sealed class ConfigSnapshotCache : IDisposable
{
    private readonly Lock _gate = new();
    private CancellationTokenSource _changed = new();

    /// <summary>Null until the database was read at start.</summary>
    public ConfigSnapshot? Current { get; private set; }

    /// <summary>Raised after a new snapshot is in force (the monitors have been told).</summary>
    public event Action<ConfigSnapshot>? Applied;

    /// <summary>Puts <paramref name="snapshot"/> in force unless a newer one already is; true when it changed.</summary>
    public bool Set(ConfigSnapshot snapshot)
    {
        CancellationTokenSource previous;
        lock (_gate)
        {
            if (Current is { } current && current.Version >= snapshot.Version)
            {
                return false;
            }

            Current = snapshot;
            previous = _changed;
            _changed = new CancellationTokenSource();
        }

        // Cancelling fires the options monitors' reload, which reads Current through the overlay.
        previous.Cancel();
        previous.Dispose();
        Applied?.Invoke(snapshot);
        return true;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _changed.Dispose();
        }
    }

    public IChangeToken ChangeToken()
    {
        lock (_gate)
        {
            return new CancellationChangeToken(_changed.Token);
        }
    }
}

/// <summary>Tells an options monitor that the configuration snapshot changed.</summary>
internal sealed class SnapshotChangeTokenSource<TOptions>(ConfigSnapshotCache cache) : IOptionsChangeTokenSource<TOptions>
{
    public string Name => Options.DefaultName;

    public IChangeToken GetChangeToken() => cache.ChangeToken();
}
