using Microsoft.Extensions.Options;
using MiniGptMed.DicomNode.Jobs;
using MiniGptMed.DicomNode.Worklist.Notices;

namespace MiniGptMed.DicomNode.Worklist.Hl7;

/// <summary>
/// The <c>hl7</c> channel: ORU^R01 over MLLP to <c>Worklist:Hl7:Host/Port</c>. The ACK decides: AA done; AE retried
/// (the same MSH-10, so a receiver that stored it before can recognise the repeat); AR dead-lettered; an ACK of
/// another control id, or none, is retried.
/// </summary>
internal sealed class Hl7Channel(IOptionsMonitor<WorklistOptions> options, TimeProvider time) : INoticeChannel
{
    public string Name => Hl7Options.ChannelName;

    public ChannelResilienceOptions Resilience => options.CurrentValue.Hl7;

    public async Task SendAsync(Notice notice, CancellationToken cancellationToken)
    {
        var hl7 = options.CurrentValue.Hl7;
        var message = OruR01Writer.Write(notice, hl7, time.GetUtcNow());
        var controlId = NoticeIds.ControlId(notice.StudyInstanceUid, notice.Version);
        string answer;
        try
        {
            answer = await MllpClient.SendAsync(hl7.Host, hl7.Port, message, hl7.MaxAckBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            throw new NoticeRetryException($"HL7 {hl7.Host}:{hl7.Port} answered with bytes that are not an MLLP block: {ex.Message}", ex);
        }

        var ack = Hl7Ack.Parse(answer) ?? throw new NoticeRetryException($"HL7 {hl7.Host}:{hl7.Port} answered without an MSA segment");
        if (!string.Equals(ack.ControlId, controlId, StringComparison.Ordinal))
        {
            throw new NoticeRetryException($"HL7 {hl7.Host}:{hl7.Port} acknowledged control id '{ack.ControlId}', not '{controlId}'");
        }

        if (ack.Accepted)
        {
            return;
        }

        if (ack.Rejected)
        {
            throw new PermanentJobFailureException($"HL7 {hl7.Host}:{hl7.Port} rejected message {controlId} ({ack.Code}): {ack.Text ?? "no text"}");
        }

        throw new NoticeRetryException($"HL7 {hl7.Host}:{hl7.Port} answered {ack.Code} to message {controlId}: {ack.Text ?? "no text"}");
    }
}
