namespace MiniGptMed.Dicom.Network.Pdu;

/// <summary>
/// A-ASSOCIATE-AC, PS3.8 9.3.3.
/// <code>
/// byte 1       PDU-type 02H
/// byte 2       reserved
/// bytes 3-6    PDU-length
/// bytes 7-8    protocol-version
/// bytes 9-10   reserved
/// bytes 11-26  reserved, sent as the called-AE-title of the request (not tested on receipt)
/// bytes 27-42  reserved, sent as the calling-AE-title of the request (not tested on receipt)
/// bytes 43-74  reserved
/// bytes 75-    application context item (10H), presentation context items (21H), user information item (50H)
/// </code>
/// </summary>
public sealed class AssociateAcceptPdu : DicomPdu
{
    public required string CalledAeTitle { get; init; }

    public required string CallingAeTitle { get; init; }

    public ushort ProtocolVersion { get; init; } = AssociatePduBody.ProtocolVersion;

    public string ApplicationContextName { get; init; } = AssociatePduBody.DicomApplicationContext;

    public required IReadOnlyList<PresentationContextAcceptItem> PresentationContexts { get; init; }

    public required UserInformation UserInformation { get; init; }

    public override PduType Type => PduType.AssociateAccept;

    public override int BodyLength =>
        AssociatePduBody.FixedLength
        + AssociatePduBody.ApplicationContextLength(ApplicationContextName)
        + PresentationContexts.Sum(pc => pc.ItemLength)
        + UserInformation.ItemLength;

    internal override void WriteBody(ref PduSpanWriter writer)
    {
        AssociatePduBody.WriteFixed(ref writer, ProtocolVersion, CalledAeTitle, CallingAeTitle, ApplicationContextName);
        foreach (var pc in PresentationContexts)
        {
            pc.Write(ref writer);
        }

        UserInformation.Write(ref writer);
    }

    internal static AssociateAcceptPdu Parse(ref PduItemReader reader)
    {
        var fields = AssociatePduBody.Parse(ref reader, "A-ASSOCIATE-AC", ItemType.PresentationContextAccept);
        return new AssociateAcceptPdu
        {
            ProtocolVersion = fields.ProtocolVersion,
            CalledAeTitle = fields.CalledAeTitle,
            CallingAeTitle = fields.CallingAeTitle,
            ApplicationContextName = fields.ApplicationContextName,
            PresentationContexts = fields.Accepted,
            UserInformation = fields.UserInformation,
        };
    }

    public override string ToString() => $"A-ASSOCIATE-AC, {PresentationContexts.Count(pc => pc.Result == 0)} presentation contexts accepted";
}
