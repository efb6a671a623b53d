using System.Net;
using MiniGptMed.Dicom.Network.Association;

namespace MiniGptMed.Dicom.Network.Admission;

/// <summary>
/// The listener's book of who holds a slot: every open connection with its address, its calling AE once associated,
/// and when it last sent anything. Decides at accept (address, per-address and connection limits) and at
/// A-ASSOCIATE-RQ (per-AE and association limits), and when the node is full releases the longest-silent association
/// to make room (see <see cref="AdmissionOptions"/>). Tens of entries: a linear scan under one lock is enough.
/// </summary>
internal sealed class ConnectionAdmission(int maxConnections, int maxAssociations, AdmissionOptions options)
{
    private readonly Lock _gate = new();
    private readonly List<AdmissionTicket> _open = [];
    private int _associations;

    public int Connections
    {
        get
        {
            lock (_gate)
            {
                return _open.Count;
            }
        }
    }

    /// <summary>At accept: a ticket that holds the connection's slot, or null and why not.</summary>
    public AdmissionTicket? TryAdmit(IPEndPoint remote, out string refusal)
    {
        var address = Normalise(remote.Address);
        if (options.AddressFilter is { } filter && !filter(address))
        {
            refusal = "no access rule admits this address";
            return null;
        }

        AdmissionTicket ticket;
        (AdmissionTicket Ticket, TimeSpan IdleFor)? released = null;
        lock (_gate)
        {
            if (_open.Count(t => t.Address.Equals(address)) >= options.MaxAssociationsPerAddress)
            {
                refusal = $"{options.MaxAssociationsPerAddress} connections already open from this address";
                return null;
            }

            if (_open.Count >= maxConnections && (released = TakeLongestIdle(associatedOnly: false)) is null)
            {
                refusal = $"{maxConnections} connections already open, none idle for {options.ReleaseIdleWhenFullAfter.TotalSeconds:0.#} s";
                return null;
            }

            ticket = new AdmissionTicket(this, address);
            _open.Add(ticket);
        }

        // Outside the lock: ending the other association must not hold up everyone else's admission.
        released?.Ticket.Release(released.Value.IdleFor);
        refusal = string.Empty;
        return ticket;
    }

    /// <summary>At A-ASSOCIATE-RQ, once the policy has accepted the peer: the per-AE and whole-node association limits.</summary>
    public AssociationDecision TryAssociate(AdmissionTicket ticket, string callingAeTitle, out string? refusal)
    {
        (AdmissionTicket Ticket, TimeSpan IdleFor)? released = null;
        lock (_gate)
        {
            refusal = null;
            if (ticket.Released)
            {
                refusal = "released while it was being admitted";
                return AssociationDecision.LocalLimitExceeded;
            }

            if (_open.Count(t => t.CallingAeTitle == callingAeTitle) >= options.MaxAssociationsPerCallingAe)
            {
                refusal = $"{options.MaxAssociationsPerCallingAe} associations already open for this calling AE";
                return AssociationDecision.LocalLimitExceeded;
            }

            if (_associations >= maxAssociations && (released = TakeLongestIdle(associatedOnly: true)) is null)
            {
                refusal = $"{maxAssociations} associations already open, none idle for {options.ReleaseIdleWhenFullAfter.TotalSeconds:0.#} s";
                return AssociationDecision.LocalLimitExceeded;
            }

            ticket.CallingAeTitle = callingAeTitle;
            _associations++;
        }

        released?.Ticket.Release(released.Value.IdleFor);
        return AssociationDecision.Accept;
    }

    /// <summary>The connection has ended (or was released to make room): its slots are free.</summary>
    internal void Remove(AdmissionTicket ticket)
    {
        lock (_gate)
        {
            if (_open.Remove(ticket) && ticket.CallingAeTitle is not null)
            {
                _associations--;
            }
        }
    }

    /// <summary>
    /// Takes back the slot of the open connection silent for longest, if silent long enough; the caller then releases
    /// it (its association is aborted: an abort needs nothing from a peer that has stopped talking, A-RELEASE would
    /// wait for its A-RELEASE-RP). Called under the lock.
    /// </summary>
    private (AdmissionTicket Ticket, TimeSpan IdleFor)? TakeLongestIdle(bool associatedOnly)
    {
        var now = Environment.TickCount64;
        AdmissionTicket? idlest = null;
        foreach (var ticket in _open)
        {
            if ((!associatedOnly || ticket.CallingAeTitle is not null) && (idlest is null || ticket.LastActivity < idlest.LastActivity))
            {
                idlest = ticket;
            }
        }

        var idleFor = idlest is null ? TimeSpan.Zero : TimeSpan.FromMilliseconds(now - idlest.LastActivity);
        if (idlest is null || idleFor < options.ReleaseIdleWhenFullAfter)
        {
            return null;
        }

        _open.Remove(idlest);
        if (idlest.CallingAeTitle is not null)
        {
            _associations--;
        }

        idlest.MarkReleased(idleFor);
        return (idlest, idleFor);
    }

    private static IPAddress Normalise(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
