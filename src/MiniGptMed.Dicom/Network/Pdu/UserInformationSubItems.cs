namespace MiniGptMed.Dicom.Network.Pdu;

/// <summary>
/// SCP/SCU Role Selection sub-item, PS3.7 D.3.3.4.
/// <code>
/// byte 1     item-type 54H
/// byte 2     reserved
/// bytes 3-4  item-length
/// bytes 5-6  UID-length
/// bytes 7-   SOP-class-uid
/// byte       SCU-role (0 non-support, 1 support)
/// byte       SCP-role (0 non-support, 1 support)
/// </code>
/// </summary>
public sealed record RoleSelection(string SopClassUid, bool ScuRole, bool ScpRole)
{
    private const int UidLengthLength = 2;
    private const int RoleLength = 1;

    internal int ItemLength => PduSpanWriter.ItemHeaderLength + UidLengthLength + SopClassUid.Length + RoleLength + RoleLength;

    internal void Write(ref PduSpanWriter writer)
    {
        writer.ItemHeader(ItemType.RoleSelection, ItemLength - PduSpanWriter.ItemHeaderLength);
        writer.UInt16(SopClassUid.Length);
        writer.Ascii(SopClassUid);
        writer.Byte(ScuRole ? (byte)1 : (byte)0);
        writer.Byte(ScpRole ? (byte)1 : (byte)0);
    }

    internal static RoleSelection Parse(ref PduItemReader reader, int length)
    {
        var uidLength = reader.UInt16("role selection UID-length");
        if (uidLength + UidLengthLength + RoleLength + RoleLength != length)
        {
            throw DicomProtocolException.Invalid($"Role selection sub-item: UID-length {uidLength} does not fit item-length {length}.");
        }

        var uid = reader.Uid(uidLength, "role selection SOP class UID");
        var scu = reader.Byte("SCU-role");
        var scp = reader.Byte("SCP-role");
        return new RoleSelection(uid, scu != 0, scp != 0);
    }
}

/// <summary>
/// Asynchronous Operations Window sub-item, PS3.7 D.3.3.3.
/// <code>
/// byte 1     item-type 53H
/// byte 2     reserved
/// bytes 3-4  item-length = 4
/// bytes 5-6  maximum-number-operations-invoked
/// bytes 7-8  maximum-number-operations-performed
/// </code>
/// </summary>
public sealed record AsynchronousOperationsWindow(ushort Invoked, ushort Performed)
{
    private const int InvokedLength = 2;
    private const int PerformedLength = 2;

    internal const int ItemLength = PduSpanWriter.ItemHeaderLength + InvokedLength + PerformedLength;

    internal void Write(ref PduSpanWriter writer)
    {
        writer.ItemHeader(ItemType.AsynchronousOperationsWindow, InvokedLength + PerformedLength);
        writer.UInt16(Invoked);
        writer.UInt16(Performed);
    }

    internal static AsynchronousOperationsWindow Parse(ref PduItemReader reader, int length)
    {
        if (length != InvokedLength + PerformedLength)
        {
            throw DicomProtocolException.Invalid($"Asynchronous operations window sub-item has length {length}, not 4.");
        }

        return new AsynchronousOperationsWindow(reader.UInt16("operations invoked"), reader.UInt16("operations performed"));
    }
}

/// <summary>PS3.7 D.3.3.7.1: the kinds of user identity.</summary>
public enum UserIdentityType : byte
{
    Username = 1,
    UsernameAndPasscode = 2,
    KerberosServiceTicket = 3,
    SamlAssertion = 4,
    JsonWebToken = 5,
}

/// <summary>
/// User Identity sub-item of A-ASSOCIATE-RQ, PS3.7 D.3.3.7.1. The secondary field is a passcode: never log it.
/// <code>
/// byte 1     item-type 58H
/// byte 2     reserved
/// bytes 3-4  item-length
/// byte 5     user-identity-type (1..5)
/// byte 6     positive-response-requested (0/1)
/// bytes 7-8  primary-field-length
/// bytes 9-   primary-field
/// 2 bytes    secondary-field-length (non-zero only for type 2)
/// n bytes    secondary-field
/// </code>
/// </summary>
public sealed class UserIdentityRequest(UserIdentityType identityType, bool positiveResponseRequested, byte[] primaryField, byte[] secondaryField)
{
    private const int TypeLength = 1;
    private const int ResponseRequestedLength = 1;
    private const int FieldLengthLength = 2;

    public UserIdentityType IdentityType { get; } = identityType;

    public bool PositiveResponseRequested { get; } = positiveResponseRequested;

    public ReadOnlyMemory<byte> PrimaryField { get; } = primaryField;

    public ReadOnlyMemory<byte> SecondaryField { get; } = secondaryField;

    /// <summary>The user name for types 1 and 2 (PS3.7 D.3.3.7.1: UTF-8).</summary>
    public string PrimaryText => System.Text.Encoding.UTF8.GetString(PrimaryField.Span);

    internal int ItemLength =>
        PduSpanWriter.ItemHeaderLength + TypeLength + ResponseRequestedLength
        + FieldLengthLength + PrimaryField.Length + FieldLengthLength + SecondaryField.Length;

    internal void Write(ref PduSpanWriter writer)
    {
        writer.ItemHeader(ItemType.UserIdentityRequest, ItemLength - PduSpanWriter.ItemHeaderLength);
        writer.Byte((byte)IdentityType);
        writer.Byte(PositiveResponseRequested ? (byte)1 : (byte)0);
        writer.UInt16(PrimaryField.Length);
        writer.Bytes(PrimaryField.Span);
        writer.UInt16(SecondaryField.Length);
        writer.Bytes(SecondaryField.Span);
    }

    internal static UserIdentityRequest Parse(ref PduItemReader reader, int length)
    {
        var end = reader.Remaining - length;
        var type = reader.Byte("user identity type");
        var positive = reader.Byte("positive-response-requested");
        var primaryLength = reader.UInt16("primary-field-length");
        if (reader.Remaining - primaryLength < end + FieldLengthLength)
        {
            throw DicomProtocolException.Invalid("User identity primary field runs past its item.");
        }

        var primary = reader.Bytes(primaryLength, "user identity primary field");
        var secondaryLength = reader.UInt16("secondary-field-length");
        if (reader.Remaining - secondaryLength != end)
        {
            throw DicomProtocolException.Invalid("User identity secondary field does not end with its item.");
        }

        var secondary = reader.Bytes(secondaryLength, "user identity secondary field");
        if (type is < 1 or > 5)
        {
            throw DicomProtocolException.Invalid($"User identity type {type} is not one of PS3.7 D.3.3.7.1's 1-5.");
        }

        return new UserIdentityRequest((UserIdentityType)type, positive != 0, primary, secondary);
    }
}

/// <summary>
/// A sub-item kept as opaque bytes: SOP Class Extended Negotiation (56H, PS3.7 D.3.3.5) and SOP Class Common
/// Extended Negotiation (57H, PS3.7 D.3.3.6). They are carried for the policy and for round trips, not interpreted.
/// </summary>
public sealed record OpaqueSubItem(ItemType Type, ReadOnlyMemory<byte> Value)
{
    internal int ItemLength => PduSpanWriter.ItemHeaderLength + Value.Length;

    internal void Write(ref PduSpanWriter writer)
    {
        writer.ItemHeader(Type, Value.Length);
        writer.Bytes(Value.Span);
    }
}
