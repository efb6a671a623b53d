namespace MiniGptMed.Dicom.Network.Pdu;

/// <summary>
/// A-ASSOCIATE-RQ, PS3.8 9.3.2.
/// <code>
/// byte 1       PDU-type 01H
/// byte 2       reserved
/// bytes 3-6    PDU-length
/// bytes 7-8    protocol-version (bit 0 set: version 1)
/// bytes 9-10   reserved
/// bytes 11-26  called-AE-title (16 bytes, space padded)
/// bytes 27-42  calling-AE-title (16 bytes, space padded)
/// bytes 43-74  reserved
/// bytes 75-    application context item (10H), presentation context items (20H), user information item (50H)
/// </code>
/// </summary>
public sealed class AssociateRequestPdu : DicomPdu
{
    public required string CalledAeTitle { get; init; }

    public required string CallingAeTitle { get; init; }

    /// <summary>PS3.8 9.3.2: bit 0 of the protocol version; other values are answered with a rejection (ACSE, protocol version).</summary>
    public ushort ProtocolVersion { get; init; } = AssociatePduBody.ProtocolVersion;

    public string ApplicationContextName { get; init; } = AssociatePduBody.DicomApplicationContext;

    public required IReadOnlyList<PresentationContextRequestItem> PresentationContexts { get; init; }

    public required UserInformation UserInformation { get; init; }

    public override PduType Type => PduType.AssociateRequest;

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

    internal static AssociateRequestPdu Parse(ref PduItemReader reader)
    {
        var fields = AssociatePduBody.Parse(ref reader, "A-ASSOCIATE-RQ", ItemType.PresentationContextRequest);
        if (fields.Requested.Count == 0)
        {
            throw DicomProtocolException.Invalid("A-ASSOCIATE-RQ proposes no presentation context (PS3.8 9.3.2: one or more).");
        }

        return new AssociateRequestPdu
        {
            ProtocolVersion = fields.ProtocolVersion,
            CalledAeTitle = fields.CalledAeTitle,
            CallingAeTitle = fields.CallingAeTitle,
            ApplicationContextName = fields.ApplicationContextName,
            PresentationContexts = fields.Requested,
            UserInformation = fields.UserInformation,
        };
    }

    public override string ToString() =>
        $"A-ASSOCIATE-RQ {CallingAeTitle} -> {CalledAeTitle}, {PresentationContexts.Count} presentation contexts";
}
