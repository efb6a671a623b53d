namespace MiniGptMed.Dicom.Network.Dimse;

/// <summary>
/// Told of every instance the store keeps, before Success is answered (a node records it in its catalogue here). An
/// exception refuses the instance with A700: the file stays, and the node's reconciliation at the next start records
/// it.
/// <para>
/// With <see cref="FileSystemStoreOptions.FlushToDisk"/> the sink is told while the instance's file is flushed, on
/// another thread, once its bytes are final and sealed but before it is durable and in place at
/// <see cref="StoredInstance.Path"/>; Success waits for both. Should the flush or the rename fail after all,
/// <see cref="InstanceNotStoredAsync"/> follows, and the sink's record must then agree with what is at the path (an
/// earlier copy of the instance, or nothing). Without flush it is told once the file is in place.
/// </para>
/// </summary>
public interface IStoredInstanceSink
{
    ValueTask InstanceStoredAsync(StoredInstance instance, CancellationToken cancellationToken);

    /// <summary>The instance <see cref="InstanceStoredAsync"/> was told of was not stored: its store failed (A700) after that call.</summary>
    ValueTask InstanceNotStoredAsync(StoredInstance instance, CancellationToken cancellationToken);
}

/// <summary>One instance as stored: the request (association: calling and called AE, peer), the file, and the facts read from its data set.</summary>
/// <param name="Path">The file's full path, in the layout (<see cref="InstanceLayout"/>).</param>
/// <param name="Size">The file's length in bytes.</param>
/// <param name="ReceivedAt">When its data set had arrived whole and passed the store's checks.</param>
public sealed record StoredInstance(StoreRequest Request, string Path, long Size, DateTimeOffset ReceivedAt, InstanceFacts Facts);
