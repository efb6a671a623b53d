namespace MiniGptMed.Dicom.Network.Pdu;

/// <summary>
/// User Information Item of A-ASSOCIATE-RQ/AC, PS3.8 9.3.2.3 with the sub-items of PS3.7 Annex D.
/// <code>
/// byte 1     item-type 50H
/// byte 2     reserved
/// bytes 3-4  item-length
/// bytes 5-   sub-items, each: type (1), reserved (1), length (2), value
///            51H maximum length (4-byte UL, 0 = unlimited)     PS3.8 D.1
///            52H implementation class UID                     PS3.7 D.3.3.2
///            53H asynchronous operations window               PS3.7 D.3.3.3
///            54H SCP/SCU role selection (zero or more)        PS3.7 D.3.3.4
///            55H implementation version name (1-16 chars)     PS3.7 D.3.3.2
///            56H/57H extended negotiation (kept opaque)       PS3.7 D.3.3.5-6
///            58H user identity (RQ), 59H server response (AC) PS3.7 D.3.3.7
/// </code>
/// Unknown sub-items are skipped (PS3.7 D.3.3: an implementation ignores sub-items it does not support).
/// </summary>
public sealed class UserInformation
{
    private const int MaximumLengthValueLength = 4;
    private const int ServerResponseLengthLength = 2;

    /// <summary>The largest P-DATA-TF PDU the sender of this item can receive; 0 means no limit.</summary>
    public uint MaximumLength { get; init; }

    public string? ImplementationClassUid { get; init; }

    public string? ImplementationVersionName { get; init; }

    public AsynchronousOperationsWindow? AsynchronousOperationsWindow { get; init; }

    public IReadOnlyList<RoleSelection> RoleSelections { get; init; } = [];

    public UserIdentityRequest? UserIdentity { get; init; }

    /// <summary>The server response of a User Identity AC sub-item (59H), when present.</summary>
    public ReadOnlyMemory<byte>? UserIdentityServerResponse { get; init; }

    public IReadOnlyList<OpaqueSubItem> ExtendedNegotiation { get; init; } = [];

    internal int ItemLength =>
        PduSpanWriter.ItemHeaderLength
        + PduSpanWriter.ItemHeaderLength + MaximumLengthValueLength
        + (ImplementationClassUid is null ? 0 : PduSpanWriter.ItemHeaderLength + ImplementationClassUid.Length)
        + (AsynchronousOperationsWindow is null ? 0 : Pdu.AsynchronousOperationsWindow.ItemLength)
        + RoleSelections.Sum(r => r.ItemLength)
        + (ImplementationVersionName is null ? 0 : PduSpanWriter.ItemHeaderLength + ImplementationVersionName.Length)
        + ExtendedNegotiation.Sum(e => e.ItemLength)
        + (UserIdentity?.ItemLength ?? 0)
        + (UserIdentityServerResponse is { } response ? PduSpanWriter.ItemHeaderLength + ServerResponseLengthLength + response.Length : 0);

    internal void Write(ref PduSpanWriter writer)
    {
        writer.ItemHeader(ItemType.UserInformation, ItemLength - PduSpanWriter.ItemHeaderLength);
        writer.ItemHeader(ItemType.MaximumLength, MaximumLengthValueLength);
        writer.UInt32(MaximumLength);
        if (ImplementationClassUid is not null)
        {
            writer.StringItem(ItemType.ImplementationClassUid, ImplementationClassUid);
        }

        AsynchronousOperationsWindow?.Write(ref writer);
        foreach (var role in RoleSelections)
        {
            role.Write(ref writer);
        }

        if (ImplementationVersionName is not null)
        {
            writer.StringItem(ItemType.ImplementationVersionName, ImplementationVersionName);
        }

        foreach (var item in ExtendedNegotiation)
        {
            item.Write(ref writer);
        }

        UserIdentity?.Write(ref writer);
        if (UserIdentityServerResponse is { } serverResponse)
        {
            writer.ItemHeader(ItemType.UserIdentityAccept, ServerResponseLengthLength + serverResponse.Length);
            writer.UInt16(serverResponse.Length);
            writer.Bytes(serverResponse.Span);
        }
    }

    internal static UserInformation Parse(ref PduItemReader reader, int length)
    {
        var end = reader.Remaining - length;
        uint maximumLength = 0;
        string? classUid = null;
        string? versionName = null;
        AsynchronousOperationsWindow? window = null;
        UserIdentityRequest? identity = null;
        ReadOnlyMemory<byte>? serverResponse = null;
        var roles = new List<RoleSelection>();
        var extended = new List<OpaqueSubItem>();
        while (reader.Remaining > end)
        {
            var (type, itemLength) = reader.ItemHeader("user information");
            if (reader.Remaining - itemLength < end)
            {
                throw DicomProtocolException.Invalid($"User information sub-item 0x{type:X2} runs past the end of its item.");
            }

            switch ((ItemType)type)
            {
                case ItemType.MaximumLength:
                    if (itemLength != MaximumLengthValueLength)
                    {
                        throw DicomProtocolException.Invalid($"Maximum length sub-item has length {itemLength}, not 4.");
                    }

                    maximumLength = reader.UInt32("maximum length");
                    break;
                case ItemType.ImplementationClassUid:
                    classUid = reader.Uid(itemLength, "implementation class UID");
                    break;
                case ItemType.ImplementationVersionName:
                    // PS3.7 D.3.3.2: 1-16 characters; longer names from sloppy peers are kept, they are only informative.
                    versionName = reader.Ascii(itemLength, "implementation version name").TrimEnd('\0', ' ');
                    break;
                case ItemType.AsynchronousOperationsWindow:
                    window = Pdu.AsynchronousOperationsWindow.Parse(ref reader, itemLength);
                    break;
                case ItemType.RoleSelection:
                    roles.Add(RoleSelection.Parse(ref reader, itemLength));
                    break;
                case ItemType.UserIdentityRequest:
                    identity = UserIdentityRequest.Parse(ref reader, itemLength);
                    break;
                case ItemType.UserIdentityAccept:
                    var responseLength = reader.UInt16("server-response-length");
                    if (responseLength + ServerResponseLengthLength != itemLength)
                    {
                        throw DicomProtocolException.Invalid("User identity server response does not fit its item.");
                    }

                    serverResponse = reader.Bytes(responseLength, "user identity server response");
                    break;
                case ItemType.SopClassExtendedNegotiation or ItemType.SopClassCommonExtendedNegotiation:
                    extended.Add(new OpaqueSubItem((ItemType)type, reader.Bytes(itemLength, "extended negotiation sub-item")));
                    break;
                default:
                    reader.Skip(itemLength, "unknown user information sub-item");
                    break;
            }
        }

        return new UserInformation
        {
            MaximumLength = maximumLength,
            ImplementationClassUid = classUid,
            ImplementationVersionName = versionName,
            AsynchronousOperationsWindow = window,
            RoleSelections = roles,
            UserIdentity = identity,
            UserIdentityServerResponse = serverResponse,
            ExtendedNegotiation = extended,
        };
    }
}
