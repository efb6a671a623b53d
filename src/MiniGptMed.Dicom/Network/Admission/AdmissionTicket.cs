using System.Net;
using MiniGptMed.Dicom.Network.Pdu;

namespace MiniGptMed.Dicom.Network.Admission;

/// <summary>
/// One connection's slot in <see cref="ConnectionAdmission"/>: held from accept until the connection ends, touched
/// whenever the peer sends something, and released early (its association aborted) when the node is full and this
/// one has been silent for longest.
/// </summary>
internal sealed class AdmissionTicket : IDisposable
{
    private readonly ConnectionAdmission _owner;
    private long _lastActivity = Environment.TickCount64;
    private Action<Exception>? _abort;
    private Exception? _released;

    internal AdmissionTicket(ConnectionAdmission owner, IPAddress address)
    {
        _owner = owner;
        Address = address;
    }

    public IPAddress Address { get; }

    /// <summary>Set once the association is accepted; counted against the per-AE limit from then.</summary>
    public string? CallingAeTitle { get; internal set; }

    public long LastActivity => Volatile.Read(ref _lastActivity);

    public bool Released => Volatile.Read(ref _released) is not null;

    /// <summary>The peer sent something (one read): cheap, a coarse clock read and a store.</summary>
    public void Touch() => Volatile.Write(ref _lastActivity, Environment.TickCount64);

    /// <summary>How to end the association when its slot is taken back; called at once if that already happened.</summary>
    public void OnRelease(Action<Exception> abort)
    {
        Interlocked.Exchange(ref _abort, abort); // a full fence: Release either sees it or is seen below
        if (Volatile.Read(ref _released) is { } reason)
        {
            abort(reason);
        }
    }

    /// <summary>Taken back by the admission (under its lock, already out of its book): from now on this ticket is released.</summary>
    internal void MarkReleased(TimeSpan idleFor)
    {
        // PS3.8 7.3: A-ABORT, source service user. No message is outstanding (the peer has sent nothing for a while and
        // every request was answered), so nothing acknowledged is lost; A-RELEASE would need an A-RELEASE-RP from a peer
        // that has stopped talking.
        Interlocked.CompareExchange(ref _released, new DicomProtocolException(AbortSource.ServiceUser, AbortReason.NotSpecified,
            $"Released to make room: silent for {idleFor.TotalSeconds:0.#} s while the node was full"), null);
    }

    /// <summary>Aborts the association (outside the admission's lock; its teardown runs on the pool, not on the newcomer's thread).</summary>
    internal void Release(TimeSpan idleFor)
    {
        MarkReleased(idleFor);
        if (Volatile.Read(ref _abort) is { } abort && Volatile.Read(ref _released) is { } reason)
        {
            ThreadPool.UnsafeQueueUserWorkItem(_ => abort(reason), null);
        }
    }

    public void Dispose() => _owner.Remove(this);
}
