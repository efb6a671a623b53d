using System.Buffers;
using System.Threading.Channels;
using MiniGptMed.Dicom.Network.Association;

namespace MiniGptMed.Dicom.Network.Dimse;

/// <summary>The requestor's side of an association: collects DIMSE responses in arrival order.</summary>
internal sealed class ScuResponseHandler : IPresentationDataHandler
{
    private readonly Channel<DimseCommand> _responses = Channel.CreateUnbounded<DimseCommand>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    public async ValueTask<DimseCommand> ReadResponseAsync(ushort messageId, CancellationToken cancellationToken)
    {
        DimseCommand response;
        try
        {
            response = await _responses.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException ex)
        {
            throw ex.InnerException as AssociationAbortedException ?? new AssociationAbortedException("The association ended before the response arrived.", ex.InnerException);
        }

        if (response.MessageIdBeingRespondedTo != messageId)
        {
            throw new Pdu.DicomProtocolException(Pdu.AbortSource.ServiceUser, Pdu.AbortReason.NotSpecified,
                $"Response to message {response.MessageIdBeingRespondedTo} while waiting for {messageId}.");
        }

        return response;
    }

    public ValueTask OnCommandAsync(DicomAssociation association, PresentationContext context, ReadOnlyMemory<byte> commandSet, CancellationToken cancellationToken)
    {
        _responses.Writer.TryWrite(DimseCommand.Decode(commandSet));
        return ValueTask.CompletedTask;
    }

    public ValueTask OnDataFragmentAsync(DicomAssociation association, PresentationContext context, ReadOnlySequence<byte> fragment, bool isLast, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;

    public ValueTask OnClosedAsync(DicomAssociation association, Exception? error)
    {
        _responses.Writer.TryComplete(error);
        return ValueTask.CompletedTask;
    }
}
