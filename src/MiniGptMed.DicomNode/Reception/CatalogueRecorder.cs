using MiniGptMed.Dicom.Network.Dimse;
using MiniGptMed.DicomNode.Catalogue;

namespace MiniGptMed.DicomNode.Reception;

/// <summary>
/// The store's seam to the catalogue: each stored instance becomes a row before Success is answered. The row is
/// group-committed without an fsync of its own (docs/database.md): the receiving path keeps its one fsync per
/// instance, the file's, and <see cref="StoredFiles"/> at start restores rows a crash lost. What the write learned
/// (held before, the path) is noted for the audit. With flush the row is written while the file is flushed; should
/// the store then fail, the row is made to agree with the file at its path again (the copy held before, or none).
/// </summary>
internal sealed class CatalogueRecorder(ICatalogue catalogue, StoredInstanceNotes? notes = null) : IStoredInstanceSink
{
    public async ValueTask InstanceStoredAsync(StoredInstance instance, CancellationToken cancellationToken)
    {
        var heldBefore = await catalogue.RecordAsync(ToRecord(instance), cancellationToken).ConfigureAwait(false);
        notes?.Add(instance.Request, heldBefore, instance.Path);
        ReceptionMetrics.Instances.Add(1);
        ReceptionMetrics.Bytes.Add(instance.Size);
    }

    public ValueTask InstanceNotStoredAsync(StoredInstance instance, CancellationToken cancellationToken) =>
        new(ForgetAsync(instance.Request.SopInstanceUid, instance.Path, cancellationToken));

    /// <summary>The row of the instance made to agree with the file at its path again: the copy held before, or none.</summary>
    internal async Task ForgetAsync(string sopInstanceUid, string path, CancellationToken cancellationToken = default)
    {
        if (StoredFiles.Read(path) is { } earlier)
        {
            await catalogue.RecordAsync(earlier, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await catalogue.RemoveAsync(sopInstanceUid, cancellationToken).ConfigureAwait(false);
        }
    }

    internal static InstanceRecord ToRecord(StoredInstance instance)
    {
        var association = instance.Request.Association;
        var facts = instance.Facts;
        return new InstanceRecord
        {
            SopClassUid = instance.Request.SopClassUid,
            SopInstanceUid = instance.Request.SopInstanceUid,
            StudyInstanceUid = facts.StudyInstanceUid!,
            SeriesInstanceUid = facts.SeriesInstanceUid!,
            Modality = facts.Modality,
            BodyPartExamined = facts.BodyPartExamined,
            SeriesDescription = facts.SeriesDescription,
            SeriesNumber = facts.SeriesNumber,
            InstanceNumber = facts.InstanceNumber,
            CallingAe = association.CallingAeTitle,
            CalledAe = association.CalledAeTitle,
            // An IPv4 peer on the dual-stack socket shows as ::ffff:a.b.c.d; kept as the address it is.
            PeerAddress = (association.RemoteEndPoint.Address.IsIPv4MappedToIPv6
                ? association.RemoteEndPoint.Address.MapToIPv4()
                : association.RemoteEndPoint.Address).ToString(),
            ReceivedAt = instance.ReceivedAt,
            Path = instance.Path,
            Size = instance.Size,
        };
    }
}
