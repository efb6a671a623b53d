using System.Buffers;
using MiniGptMed.Dicom.Network.Pdu;

namespace MiniGptMed.Dicom.Network.Association;

/// <summary>
/// Turns the PDVs of P-DATA-TF PDUs back into messages (PS3.8 E.2, PS3.7 9.3.1): command fragments are gathered
/// into one bounded buffer and handed up whole; data set fragments are handed up as they arrive, without copying.
/// </summary>
internal sealed class PdvAssembler(int maxCommandSetLength)
{
    private readonly ArrayBufferWriter<byte> _command = new(256);
    private Phase _phase = Phase.AwaitingCommand;
    private byte _contextId;

    private enum Phase
    {
        AwaitingCommand,
        InCommand,
        AfterCommand,
        InDataSet,
    }

    /// <summary>True while a message is half received: a release or close now means the peer broke off mid-message.</summary>
    public bool InsideMessage => _phase is Phase.InCommand or Phase.InDataSet;

    public async ValueTask ProcessAsync(
        DataTransferPdu pdu,
        DicomAssociation association,
        IPresentationDataHandler handler,
        CancellationToken cancellationToken)
    {
        foreach (var pdv in pdu.Values)
        {
            var context = association.FindAcceptedContext(pdv.PresentationContextId)
                ?? throw Unexpected($"PDV names presentation context {pdv.PresentationContextId}, which was not accepted on this association.");

            if (pdv.IsCommand)
            {
                await OnCommandFragmentAsync(pdv, context, association, handler, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await OnDataFragmentAsync(pdv, context, association, handler, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async ValueTask OnCommandFragmentAsync(
        PresentationDataValue pdv, PresentationContext context, DicomAssociation association, IPresentationDataHandler handler, CancellationToken cancellationToken)
    {
        if (_phase == Phase.InDataSet)
        {
            throw Unexpected($"A command PDV arrived on context {pdv.PresentationContextId} before the last fragment of the data set on context {_contextId} (PS3.7 9.3.1).");
        }

        if (_phase == Phase.InCommand && pdv.PresentationContextId != _contextId)
        {
            throw Unexpected($"Command fragments switched from context {_contextId} to {pdv.PresentationContextId} (PS3.8 E.2: one context per message).");
        }

        if (_command.WrittenCount + pdv.Fragment.Length > maxCommandSetLength)
        {
            throw DicomProtocolException.Invalid($"The command set exceeds {maxCommandSetLength} bytes.");
        }

        if (_phase != Phase.InCommand)
        {
            _command.ResetWrittenCount();
            _contextId = pdv.PresentationContextId;
            _phase = Phase.InCommand;
        }

        foreach (var segment in pdv.Fragment)
        {
            _command.Write(segment.Span);
        }

        if (pdv.IsLast)
        {
            _phase = Phase.AfterCommand;
            await handler.OnCommandAsync(association, context, _command.WrittenMemory, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask OnDataFragmentAsync(
        PresentationDataValue pdv, PresentationContext context, DicomAssociation association, IPresentationDataHandler handler, CancellationToken cancellationToken)
    {
        if (_phase is Phase.AwaitingCommand or Phase.InCommand)
        {
            throw Unexpected($"A data set PDV arrived on context {pdv.PresentationContextId} without a complete command before it (PS3.7 9.3.1).");
        }

        if (pdv.PresentationContextId != _contextId)
        {
            throw Unexpected($"The data set came on context {pdv.PresentationContextId} but its command on {_contextId} (PS3.8 E.2).");
        }

        _phase = pdv.IsLast ? Phase.AwaitingCommand : Phase.InDataSet;
        await handler.OnDataFragmentAsync(association, context, pdv.Fragment, pdv.IsLast, cancellationToken).ConfigureAwait(false);
    }

    private static DicomProtocolException Unexpected(string message) =>
        new(AbortSource.ServiceProvider, AbortReason.UnexpectedPduParameter, message);
}
