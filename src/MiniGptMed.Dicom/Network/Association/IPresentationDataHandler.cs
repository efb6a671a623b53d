using System.Buffers;

namespace MiniGptMed.Dicom.Network.Association;

/// <summary>
/// Receives the messages of one association, in order, from its read loop: each command set whole, each data set
/// as the fragments arrive, so that a data set never has to fit in memory. The association does not read the next
/// PDU until a call has completed, which is what bounds memory per association.
/// </summary>
public interface IPresentationDataHandler
{
    ValueTask OnCommandAsync(DicomAssociation association, PresentationContext context, ReadOnlyMemory<byte> commandSet, CancellationToken cancellationToken);

    /// <summary><paramref name="fragment"/> is valid only during the call.</summary>
    ValueTask OnDataFragmentAsync(DicomAssociation association, PresentationContext context, ReadOnlySequence<byte> fragment, bool isLast, CancellationToken cancellationToken);

    /// <summary>The association ended: <paramref name="error"/> is null after a release, else why it was aborted.</summary>
    ValueTask OnClosedAsync(DicomAssociation association, Exception? error);
}

/// <summary>Creates the handler of each accepted association (the DIMSE dispatcher, resolved from dependency injection).</summary>
public interface IPresentationDataHandlerFactory
{
    IPresentationDataHandler Create(DicomAssociation association);
}
