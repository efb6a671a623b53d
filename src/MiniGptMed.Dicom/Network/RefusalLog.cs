using System.Net;
using Microsoft.Extensions.Logging;

namespace MiniGptMed.Dicom.Network;

/// <summary>
/// One Warning line per refusal (a connection closed at accept, an A-ASSOCIATE-RJ, a non-Success C-STORE status),
/// with bursts summarised: the first refusal of a kind (same reason, calling AE, peer address and status) is logged
/// in full, the repeats within <see cref="Window"/> are counted, and the count is logged once the window has passed
/// ("... and 37 more like it in the last 10 s"). A flood of refusals thus costs the log two lines, not thousands of
/// lines or stack traces. Lines carry AE titles, addresses, statuses and UIDs, never patient data.
/// </summary>
public sealed class RefusalLog
{
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Burst> _bursts = new(StringComparer.Ordinal);
    private Timer? _timer;

    public RefusalLog(ILogger logger, TimeSpan? window = null)
    {
        _logger = logger;
        Window = window ?? TimeSpan.FromSeconds(10);
    }

    /// <summary>How long repeats of one kind are counted before their summary line.</summary>
    public TimeSpan Window { get; }

    /// <summary>A connection closed at accept, before it took a slot.</summary>
    internal void ConnectionRefused(string why, EndPoint? remote)
    {
        if (ShouldLog(why, null, remote, "closed unread"))
        {
            NetworkLog.ConnectionRefused(_logger, why, remote);
        }
    }

    /// <summary>An A-ASSOCIATE-RJ sent.</summary>
    internal void AssociationRefused(string why, string callingAe, string calledAe, EndPoint? remote, Association.AssociationDecision decision)
    {
        if (ShouldLog(why, callingAe, remote, $"{decision.Result}/{decision.Source}/{(byte)decision.Reason}"))
        {
            NetworkLog.Rejected(_logger, why, callingAe, calledAe, remote, decision.Result, decision.Source, (byte)decision.Reason);
        }
    }

    /// <summary>A C-STORE answered with anything but Success; <paramref name="why"/> must not vary per instance (it keys the burst).</summary>
    internal void StoreRefused(string why, string callingAe, EndPoint? remote, ushort status, string sopInstanceUid)
    {
        if (ShouldLog(why, callingAe, remote, status.ToString("X4", System.Globalization.CultureInfo.InvariantCulture)))
        {
            Dimse.DimseLog.StoreRefused(_logger, why, callingAe, remote, status, sopInstanceUid);
        }
    }

    /// <summary>
    /// Whether this refusal should be logged in full now; false when it is a repeat and has been counted for the
    /// summary instead. <paramref name="kind"/> names the refusal (its reason without the per-instance details).
    /// </summary>
    internal bool ShouldLog(string kind, string? callingAe, EndPoint? remote, string status)
    {
        var address = (remote as IPEndPoint)?.Address.ToString() ?? remote?.ToString() ?? "?";
        var key = string.Join('\u001f', kind, callingAe, address, status);
        var now = Environment.TickCount64;
        Burst? expired = null;
        lock (_gate)
        {
            if (_bursts.TryGetValue(key, out var burst))
            {
                if (now - burst.Started < (long)Window.TotalMilliseconds)
                {
                    burst.Repeats++;
                    _timer ??= new Timer(_ => Flush(), null, Window, Timeout.InfiniteTimeSpan);
                    return false;
                }

                expired = burst;
            }

            _bursts[key] = new Burst(now, kind, callingAe, address, status);
        }

        if (expired is { Repeats: > 0 })
        {
            Summarise(expired);
        }

        return true;
    }

    /// <summary>Logs the summaries of the bursts whose window has passed; re-arms while repeats are still being counted.</summary>
    internal void Flush()
    {
        var now = Environment.TickCount64;
        var due = new List<Burst>();
        lock (_gate)
        {
            foreach (var (key, burst) in _bursts.ToList())
            {
                if (now - burst.Started >= (long)Window.TotalMilliseconds)
                {
                    _bursts.Remove(key);
                    if (burst.Repeats > 0)
                    {
                        due.Add(burst);
                    }
                }
            }

            _timer?.Dispose();
            _timer = _bursts.Values.Any(b => b.Repeats > 0) ? new Timer(_ => Flush(), null, Window, Timeout.InfiniteTimeSpan) : null;
        }

        foreach (var burst in due)
        {
            Summarise(burst);
        }
    }

    private void Summarise(Burst burst) =>
        NetworkLog.RefusalsSummarised(_logger, burst.Repeats, burst.Kind, burst.CallingAe ?? "-", burst.Address, burst.Status, Math.Round(Window.TotalSeconds, 1));

    private sealed class Burst(long started, string kind, string? callingAe, string address, string status)
    {
        public long Started { get; } = started;

        public string Kind { get; } = kind;

        public string? CallingAe { get; } = callingAe;

        public string Address { get; } = address;

        public string Status { get; } = status;

        public int Repeats { get; set; }
    }
}
