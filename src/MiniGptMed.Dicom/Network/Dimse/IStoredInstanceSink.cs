namespace MiniGptMed.Dicom.Network.Dimse;

/// <summary>
/// Told of every instance the store has made durable and visible, before Success is answered (a node records it in
/// its catalogue here). An exception refuses the instance with A700: the file stays, and the node's reconciliation
/// at the next start records it.
/// </summary>
public interface IStoredInstanceSink
{
    ValueTask InstanceStoredAsync(StoredInstance instance, CancellationToken cancellationToken);
}

/// <summary>One instance as stored: the request (association: calling and called AE, peer), the file, and the facts read from its data set.</summary>
/// <param name="Path">The file's full path, in the layout (<see cref="InstanceLayout"/>).</param>
/// <param name="Size">The file's length in bytes.</param>
/// <param name="ReceivedAt">When the store completed it.</param>
public sealed record StoredInstance(StoreRequest Request, string Path, long Size, DateTimeOffset ReceivedAt, InstanceFacts Facts);
