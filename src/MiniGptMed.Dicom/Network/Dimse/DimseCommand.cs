using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.Network.Pdu;

namespace MiniGptMed.Dicom.Network.Dimse;

/// <summary>
/// A typed view over a DIMSE command set (group 0000, PS3.7 E.1). Command sets are always encoded in implicit VR
/// little endian with Command Group Length (0000,0000) first (PS3.7 6.3.1), whatever the context's transfer syntax.
/// </summary>
public sealed class DimseCommand
{
    /// <summary>PS3.7 E.1: Command Data Set Type 0101H means "no data set"; any other value means one follows.</summary>
    public const ushort NoDataSet = 0x0101;

    private const ushort DataSetPresent = 0x0000;

    public DimseCommand(DicomDataset dataset)
    {
        Dataset = dataset;
    }

    public DicomDataset Dataset { get; }

    public DimseCommandField CommandField => (DimseCommandField)Dataset.GetValueOrDefault<ushort>(DicomTags.CommandField, 0);

    public ushort MessageId => Dataset.GetValueOrDefault<ushort>(DicomTags.MessageID, 0);

    public ushort MessageIdBeingRespondedTo => Dataset.GetValueOrDefault<ushort>(DicomTags.MessageIDBeingRespondedTo, 0);

    public string? AffectedSopClassUid => Dataset.GetString(DicomTags.AffectedSOPClassUID);

    public string? AffectedSopInstanceUid => Dataset.GetString(DicomTags.AffectedSOPInstanceUID);

    public DimsePriority Priority => (DimsePriority)Dataset.GetValueOrDefault<ushort>(DicomTags.Priority, 0);

    public bool HasDataSet => Dataset.GetValueOrDefault<ushort>(DicomTags.CommandDataSetType, NoDataSet) != NoDataSet;

    public ushort Status => Dataset.GetValueOrDefault<ushort>(DicomTags.Status, 0);

    public string? ErrorComment => Dataset.GetString(DicomTags.ErrorComment);

    /// <summary>PS3.7 9.3.1.1: set when the C-STORE is a sub-operation of a C-MOVE; kept for the store handler.</summary>
    public string? MoveOriginatorAeTitle => Dataset.GetString(DicomTags.MoveOriginatorApplicationEntityTitle);

    public ushort? MoveOriginatorMessageId =>
        Dataset.TryGetValue<ushort>(DicomTags.MoveOriginatorMessageID, out var id) ? id : null;

    public byte[] Encode() => DicomDatasetWriter.WriteCommand(Dataset);

    /// <summary>Decodes a received command set; a malformed one is a protocol error (the association is aborted).</summary>
    public static DimseCommand Decode(ReadOnlyMemory<byte> bytes)
    {
        DicomDataset dataset;
        try
        {
            dataset = DicomFileReader.ReadDataset(bytes, DicomTransferSyntax.ImplicitVRLittleEndian);
        }
        catch (Exception ex) when (ex is DicomFormatException or DicomDataException or EndOfStreamException or InvalidDataException or ArgumentException or OverflowException)
        {
            throw new DicomProtocolException(AbortSource.ServiceUser, AbortReason.NotSpecified, $"The command set cannot be decoded: {ex.Message}", ex);
        }

        if (dataset.Any(e => e.Tag.Group != 0))
        {
            throw new DicomProtocolException(AbortSource.ServiceUser, AbortReason.NotSpecified, "The command set holds elements outside group 0000 (PS3.7 6.3.1).");
        }

        var command = new DimseCommand(dataset);
        if (!dataset.Contains(DicomTags.CommandField))
        {
            throw new DicomProtocolException(AbortSource.ServiceUser, AbortReason.NotSpecified, "The command set has no Command Field (0000,0100).");
        }

        return command;
    }

    public static DimseCommand EchoRequest(ushort messageId) => new(new DicomDataset()
        .AddOrUpdate(DicomTags.AffectedSOPClassUID, DicomVR.UI, DicomUid.Verification.Value)
        .AddOrUpdate(DicomTags.CommandField, DicomVR.US, (ushort)DimseCommandField.CEchoRequest)
        .AddOrUpdate(DicomTags.MessageID, DicomVR.US, messageId)
        .AddOrUpdate(DicomTags.CommandDataSetType, DicomVR.US, NoDataSet));

    public static DimseCommand EchoResponse(DimseCommand request, ushort status) => new(new DicomDataset()
        .AddOrUpdate(DicomTags.AffectedSOPClassUID, DicomVR.UI, request.AffectedSopClassUid ?? DicomUid.Verification.Value)
        .AddOrUpdate(DicomTags.CommandField, DicomVR.US, (ushort)DimseCommandField.CEchoResponse)
        .AddOrUpdate(DicomTags.MessageIDBeingRespondedTo, DicomVR.US, request.MessageId)
        .AddOrUpdate(DicomTags.CommandDataSetType, DicomVR.US, NoDataSet)
        .AddOrUpdate(DicomTags.Status, DicomVR.US, status));

    public static DimseCommand StoreRequest(ushort messageId, string sopClassUid, string sopInstanceUid, DimsePriority priority = DimsePriority.Medium, string? moveOriginatorAe = null, ushort? moveOriginatorMessageId = null)
    {
        var dataset = new DicomDataset()
            .AddOrUpdate(DicomTags.AffectedSOPClassUID, DicomVR.UI, sopClassUid)
            .AddOrUpdate(DicomTags.CommandField, DicomVR.US, (ushort)DimseCommandField.CStoreRequest)
            .AddOrUpdate(DicomTags.MessageID, DicomVR.US, messageId)
            .AddOrUpdate(DicomTags.Priority, DicomVR.US, (ushort)priority)
            .AddOrUpdate(DicomTags.CommandDataSetType, DicomVR.US, DataSetPresent)
            .AddOrUpdate(DicomTags.AffectedSOPInstanceUID, DicomVR.UI, sopInstanceUid);
        if (moveOriginatorAe is not null)
        {
            dataset.AddOrUpdate(DicomTags.MoveOriginatorApplicationEntityTitle, DicomVR.AE, moveOriginatorAe);
        }

        if (moveOriginatorMessageId is { } originatorId)
        {
            dataset.AddOrUpdate(DicomTags.MoveOriginatorMessageID, DicomVR.US, originatorId);
        }

        return new DimseCommand(dataset);
    }

    public static DimseCommand StoreResponse(DimseCommand request, ushort status, string? errorComment = null)
    {
        var dataset = EchoUids(request)
            .AddOrUpdate(DicomTags.CommandField, DicomVR.US, (ushort)DimseCommandField.CStoreResponse)
            .AddOrUpdate(DicomTags.MessageIDBeingRespondedTo, DicomVR.US, request.MessageId)
            .AddOrUpdate(DicomTags.CommandDataSetType, DicomVR.US, NoDataSet)
            .AddOrUpdate(DicomTags.Status, DicomVR.US, status);
        if (errorComment is not null)
        {
            // PS3.7 C.4: Error Comment is LO, at most 64 characters.
            dataset.AddOrUpdate(DicomTags.ErrorComment, DicomVR.LO, errorComment.Length > 64 ? errorComment[..64] : errorComment);
        }

        return new DimseCommand(dataset);
    }

    /// <summary>A response for a command we do not implement (PS3.7 C.5.9), echoing its field with bit 15 set.</summary>
    public static DimseCommand UnrecognizedResponse(DimseCommand request) => new(EchoUids(request, instance: false)
        .AddOrUpdate(DicomTags.CommandField, DicomVR.US, (ushort)((ushort)request.CommandField | 0x8000))
        .AddOrUpdate(DicomTags.MessageIDBeingRespondedTo, DicomVR.US, request.MessageId)
        .AddOrUpdate(DicomTags.CommandDataSetType, DicomVR.US, NoDataSet)
        .AddOrUpdate(DicomTags.Status, DicomVR.US, DimseStatus.UnrecognizedOperation));

    /// <summary>
    /// The request's Affected SOP Class (and Instance) UID for the response, as the peer sent the
    /// bytes: a malformed UID from a peer is echoed, not refused by the checked setters.
    /// </summary>
    private static DicomDataset EchoUids(DimseCommand request, bool instance = true)
    {
        var dataset = new DicomDataset();
        foreach (var tag in instance ? new[] { DicomTags.AffectedSOPClassUID, DicomTags.AffectedSOPInstanceUID } : [DicomTags.AffectedSOPClassUID])
        {
            var buffer = request.Dataset.GetElement(tag) is DicomValueElement value ? value.Buffer : DicomBuffer.Empty;
            dataset.AddOrUpdate(new DicomValueElement(tag, DicomVR.UI, buffer));
        }

        return dataset;
    }
}
