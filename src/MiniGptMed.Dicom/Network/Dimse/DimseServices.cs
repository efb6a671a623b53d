using System.Buffers;
using MiniGptMed.Dicom.Network.Association;

namespace MiniGptMed.Dicom.Network.Dimse;

/// <summary>The C-ECHO SCP (PS3.4 A): a service from dependency injection.</summary>
public interface IDicomEchoService
{
    ValueTask<ushort> EchoAsync(DicomAssociation association, DimseCommand request, CancellationToken cancellationToken);
}

/// <summary>The C-STORE SCP (PS3.4 B): opens one session per incoming instance.</summary>
public interface IDicomStoreService
{
    /// <summary>
    /// Called when a C-STORE-RQ command has arrived and before its data set. Return a session that receives the
    /// data set fragments, or <see cref="StoreSession.Refuse"/> to answer with a failure status once the data has been drained.
    /// </summary>
    ValueTask<IStoreSession> BeginStoreAsync(StoreRequest request, CancellationToken cancellationToken);
}

/// <summary>What a store service knows of an incoming instance before its data set arrives.</summary>
public sealed record StoreRequest(DicomAssociation Association, PresentationContext Context, DimseCommand Command)
{
    public string SopClassUid => Command.AffectedSopClassUid ?? string.Empty;

    public string SopInstanceUid => Command.AffectedSopInstanceUid ?? string.Empty;

    public string TransferSyntaxUid => Context.TransferSyntax;
}

/// <summary>The outcome of one C-STORE, sent back as the response status (PS3.4 B.2.3).</summary>
/// <param name="Status">The status sent.</param>
/// <param name="ErrorComment">Error Comment (0000,0902), LO: at most 64 characters are sent.</param>
/// <param name="Detail">What the log says beyond the comment (lengths, counts), never patient data.</param>
public readonly record struct StoreResult(ushort Status, string? ErrorComment = null, string? Detail = null)
{
    public static readonly StoreResult Success = new(DimseStatus.Success);
}

/// <summary>
/// Receives one data set as it arrives. <see cref="CompleteAsync"/> makes it durable and visible, and only then
/// returns success; disposing a session that was not completed removes everything it wrote.
/// </summary>
public interface IStoreSession : IAsyncDisposable
{
    ValueTask WriteAsync(ReadOnlySequence<byte> fragment, CancellationToken cancellationToken);

    ValueTask<StoreResult> CompleteAsync(CancellationToken cancellationToken);
}

/// <summary>Sessions that need no storage.</summary>
public static class StoreSession
{
    /// <summary>Drains the data set and answers <paramref name="status"/>.</summary>
    public static IStoreSession Refuse(ushort status, string? comment = null) => new Refused(new StoreResult(status, comment));

    /// <summary>The comment of an A700 after a failed write (disk full, or failing): one text, so a burst summarises.</summary>
    public const string WriteFailed = "Could not write the instance (disk full or failing)";

    private sealed class Refused(StoreResult result) : IStoreSession
    {
        public ValueTask WriteAsync(ReadOnlySequence<byte> fragment, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask<StoreResult> CompleteAsync(CancellationToken cancellationToken) => ValueTask.FromResult(result);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

/// <summary>The default C-ECHO: success while the node runs.</summary>
public sealed class VerificationService : IDicomEchoService
{
    public ValueTask<ushort> EchoAsync(DicomAssociation association, DimseCommand request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(DimseStatus.Success);
}
