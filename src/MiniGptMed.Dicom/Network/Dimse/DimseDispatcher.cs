using System.Buffers;
using Microsoft.Extensions.Logging;
using MiniGptMed.Dicom.Network.Association;
using MiniGptMed.Dicom.Network.Pdu;

namespace MiniGptMed.Dicom.Network.Dimse;

/// <summary>
/// The SCP side of one association: decodes each command, routes C-ECHO and C-STORE to their services, streams
/// C-STORE data sets into the store session and answers each request once its data set is safe.
/// </summary>
internal sealed class DimseDispatcher(IDicomEchoService echo, IDicomStoreService store, ILogger logger, RefusalLog refusals) : IPresentationDataHandler
{
    private Pending? _pending;

    public async ValueTask OnCommandAsync(DicomAssociation association, PresentationContext context, ReadOnlyMemory<byte> commandSet, CancellationToken cancellationToken)
    {
        if (_pending is not null)
        {
            throw new DicomProtocolException(AbortSource.ServiceUser, AbortReason.NotSpecified,
                $"A new command arrived while the data set of message {_pending.Command.MessageId} was still expected (PS3.7 9.3.1).");
        }

        var command = DimseCommand.Decode(commandSet);
        switch (command.CommandField)
        {
            case DimseCommandField.CEchoRequest when !command.HasDataSet:
                var status = await echo.EchoAsync(association, command, cancellationToken).ConfigureAwait(false);
                await SendAsync(association, context, DimseCommand.EchoResponse(command, status), cancellationToken).ConfigureAwait(false);
                break;
            case DimseCommandField.CStoreRequest when command.HasDataSet:
                _pending = new Pending(command, context, await OpenStoreAsync(association, context, command, cancellationToken).ConfigureAwait(false));
                break;
            case DimseCommandField.CStoreRequest or DimseCommandField.CEchoRequest:
                throw new DicomProtocolException(AbortSource.ServiceUser, AbortReason.NotSpecified,
                    $"{command.CommandField} with Command Data Set Type {(command.HasDataSet ? "present" : "absent")} (PS3.7 9.3.1/9.3.5).");
            default:
                if (command.HasDataSet)
                {
                    _pending = new Pending(command, context, StoreSession.Refuse(DimseStatus.UnrecognizedOperation));
                }
                else
                {
                    await SendAsync(association, context, DimseCommand.UnrecognizedResponse(command), cancellationToken).ConfigureAwait(false);
                }

                break;
        }
    }

    public async ValueTask OnDataFragmentAsync(DicomAssociation association, PresentationContext context, ReadOnlySequence<byte> fragment, bool isLast, CancellationToken cancellationToken)
    {
        var pending = _pending ?? throw new DicomProtocolException(AbortSource.ServiceUser, AbortReason.NotSpecified,
            "A data set arrived for a command that takes none.");
        try
        {
            await pending.Session.WriteAsync(fragment, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Disk full or gone: the rest is drained and the request refused; the association carries on. The stack
            // goes to Debug only: the one Warning line is the refusal's, and a full disk refuses every instance.
            DimseLog.StoreWriteFailed(logger, pending.Command.MessageId, ex);
            await pending.Session.DisposeAsync().ConfigureAwait(false);
            pending.Session = StoreSession.Refuse(DimseStatus.OutOfResources, StoreSession.WriteFailed);
        }

        if (!isLast)
        {
            return;
        }

        _pending = null;
        StoreResult result;
        await using (pending.Session.ConfigureAwait(false))
        {
            try
            {
                result = await pending.Session.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                DimseLog.StoreWriteFailed(logger, pending.Command.MessageId, ex);
                result = new StoreResult(DimseStatus.OutOfResources, StoreSession.WriteFailed);
            }
        }

        if (result.Status != DimseStatus.Success)
        {
            LogRefusal(association, pending.Command, result);
        }

        var response = pending.Command.CommandField == DimseCommandField.CStoreRequest
            ? DimseCommand.StoreResponse(pending.Command, result.Status, result.ErrorComment)
            : DimseCommand.UnrecognizedResponse(pending.Command);
        DimseLog.Stored(logger, pending.Command.MessageId, association.CallingAeTitle, result.Status);
        await SendAsync(association, pending.Context, response, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask OnClosedAsync(DicomAssociation association, Exception? error)
    {
        if (_pending is { } pending)
        {
            // The peer went away mid data set: the session removes its temporary file, nothing is registered.
            _pending = null;
            await pending.Session.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask<IStoreSession> OpenStoreAsync(DicomAssociation association, PresentationContext context, DimseCommand command, CancellationToken cancellationToken)
    {
        if (command.AffectedSopClassUid != context.AbstractSyntax)
        {
            // PS3.4 B.2.3 / PS3.7 C.5.7: the instance's class must be the context's abstract syntax.
            return StoreSession.Refuse(DimseStatus.SopClassNotSupported, "SOP class differs from the presentation context");
        }

        if (string.IsNullOrEmpty(command.AffectedSopInstanceUid) || !Data.DicomUid.IsValid(command.AffectedSopInstanceUid))
        {
            return StoreSession.Refuse(DimseStatus.CannotUnderstand, "Affected SOP Instance UID missing or invalid");
        }

        return await store.BeginStoreAsync(new StoreRequest(association, context, command), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The one Warning line of a non-Success status (summarised in bursts by <see cref="RefusalLog"/>).</summary>
    private void LogRefusal(DicomAssociation association, DimseCommand command, StoreResult result)
    {
        var uid = command.AffectedSopInstanceUid;
        // A UID that is not one (empty, too long, a path) is not repeated into the log as is.
        var shown = uid is not null && Data.DicomUid.IsValid(uid) ? uid : $"(invalid, {uid?.Length ?? 0} characters)";
        var why = result.Detail is null ? result.ErrorComment ?? DimseStatus.Describe(result.Status) : $"{result.ErrorComment}: {result.Detail}";
        refusals.StoreRefused(why, association.CallingAeTitle, association.RemoteEndPoint, result.Status, shown);
    }

    private static ValueTask SendAsync(DicomAssociation association, PresentationContext context, DimseCommand response, CancellationToken cancellationToken) =>
        association.SendMessageAsync(context.Id, response.Encode(), null, cancellationToken);

    private sealed class Pending(DimseCommand command, PresentationContext context, IStoreSession session)
    {
        public DimseCommand Command { get; } = command;

        public PresentationContext Context { get; } = context;

        public IStoreSession Session { get; set; } = session;
    }
}

/// <summary>Creates a <see cref="DimseDispatcher"/> per association from the services registered in dependency injection.</summary>
public sealed class DimseServiceHandlerFactory : IPresentationDataHandlerFactory
{
    private readonly IDicomEchoService _echo;
    private readonly IDicomStoreService _store;
    private readonly ILogger _logger;
    private readonly RefusalLog _refusals;

    /// <param name="refusalLogWindow">Repeats of one kind of refused C-STORE within this window are summarised (default 10 s).</param>
    public DimseServiceHandlerFactory(IDicomEchoService echo, IDicomStoreService store, ILogger<DimseServiceHandlerFactory>? logger = null, TimeSpan? refusalLogWindow = null)
    {
        _echo = echo;
        _store = store;
        _logger = (ILogger?)logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        _refusals = new RefusalLog(_logger, refusalLogWindow);
    }

    public IPresentationDataHandler Create(DicomAssociation association) => new DimseDispatcher(_echo, _store, _logger, _refusals);
}
