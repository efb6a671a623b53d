using System.Collections.Concurrent;
using MiniGptMed.Dicom.Network.Association;

namespace MiniGptMed.DicomNode.Reception;

/// <summary>An association open now, as the console and <c>GET /api/associations</c> show it.</summary>
public sealed record AssociationInfo(long Id, string CallingAeTitle, string CalledAeTitle, string PeerAddress, int PeerPort, bool Tls, DateTimeOffset Since);

/// <summary>
/// The associations open now: the handler factory of each accepted association registers it (a decorator, so the
/// receiving path is unchanged) and its completion removes it. Memory only: it describes this process's sockets.
/// </summary>
internal sealed class AssociationRegistry(TimeProvider time)
{
    private readonly ConcurrentDictionary<long, AssociationInfo> _open = new();
    private long _next;

    public IReadOnlyList<AssociationInfo> Current => [.. _open.Values.OrderBy(a => a.Id)];

    public int Count => _open.Count;

    public IPresentationDataHandlerFactory Track(IPresentationDataHandlerFactory inner) => new TrackingFactory(this, inner);

    private void Add(DicomAssociation association)
    {
        var id = Interlocked.Increment(ref _next);
        var address = association.RemoteEndPoint.Address;
        _open[id] = new AssociationInfo(id, association.CallingAeTitle, association.CalledAeTitle,
            (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString(), association.RemoteEndPoint.Port, association.IsSecure, time.GetUtcNow());
        _ = association.Completion.ContinueWith(_ => _open.TryRemove(id, out AssociationInfo? _), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private sealed class TrackingFactory(AssociationRegistry registry, IPresentationDataHandlerFactory inner) : IPresentationDataHandlerFactory
    {
        public IPresentationDataHandler Create(DicomAssociation association)
        {
            registry.Add(association);
            return inner.Create(association);
        }
    }
}
