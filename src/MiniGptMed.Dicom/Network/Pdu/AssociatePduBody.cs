namespace MiniGptMed.Dicom.Network.Pdu;

/// <summary>
/// The layout shared by A-ASSOCIATE-RQ and A-ASSOCIATE-AC (PS3.8 9.3.2 and 9.3.3): fixed fields, then the
/// application context item, presentation context items and one user information item.
/// </summary>
internal static class AssociatePduBody
{
    public const ushort ProtocolVersion = 1;
    public const string DicomApplicationContext = "1.2.840.10008.3.1.1.1";

    private const int ProtocolVersionLength = 2;
    private const int Reserved1Length = 2;
    private const int Reserved2Length = 32;

    public const int FixedLength =
        ProtocolVersionLength + Reserved1Length + PduSpanWriter.AeTitleLength + PduSpanWriter.AeTitleLength + Reserved2Length;

    public static int ApplicationContextLength(string name) => PduSpanWriter.ItemHeaderLength + name.Length;

    public static void WriteFixed(ref PduSpanWriter writer, ushort protocolVersion, string calledAe, string callingAe, string applicationContext)
    {
        writer.UInt16(protocolVersion);
        writer.Zeros(Reserved1Length);
        writer.AeTitle(calledAe);
        writer.AeTitle(callingAe);
        writer.Zeros(Reserved2Length);
        writer.StringItem(ItemType.ApplicationContext, applicationContext);
    }

    public static Fields Parse(ref PduItemReader reader, string pduName, ItemType contextItemType)
    {
        var version = reader.UInt16($"{pduName} protocol version");
        reader.Skip(Reserved1Length, $"{pduName} reserved bytes");
        var called = reader.AeTitle($"{pduName} called AE title");
        var calling = reader.AeTitle($"{pduName} calling AE title");
        reader.Skip(Reserved2Length, $"{pduName} reserved bytes");

        string? applicationContext = null;
        UserInformation? userInformation = null;
        var requested = new List<PresentationContextRequestItem>();
        var accepted = new List<PresentationContextAcceptItem>();
        var ids = new HashSet<byte>();
        while (!reader.End)
        {
            var (type, length) = reader.ItemHeader(pduName);
            if ((ItemType)type == ItemType.ApplicationContext)
            {
                applicationContext = reader.Uid(length, "application context name");
            }
            else if ((ItemType)type == ItemType.UserInformation)
            {
                userInformation = UserInformation.Parse(ref reader, length);
            }
            else if (type == (byte)contextItemType)
            {
                if (ids.Count == PduLimits.MaxPresentationContexts)
                {
                    throw DicomProtocolException.Invalid(
                        $"{pduName} carries more than {PduLimits.MaxPresentationContexts} presentation contexts (PS3.8 9.3.2.2: odd IDs 1-255).");
                }

                byte id;
                if (contextItemType == ItemType.PresentationContextRequest)
                {
                    var item = PresentationContextRequestItem.Parse(ref reader, length);
                    requested.Add(item);
                    id = item.Id;
                }
                else
                {
                    var item = PresentationContextAcceptItem.Parse(ref reader, length);
                    accepted.Add(item);
                    id = item.Id;
                }

                if (contextItemType == ItemType.PresentationContextRequest && id % 2 == 0)
                {
                    throw DicomProtocolException.Invalid($"Presentation context ID {id} is even; PS3.8 9.3.2.2 requires odd IDs.");
                }

                if (!ids.Add(id))
                {
                    throw DicomProtocolException.Invalid($"Presentation context ID {id} appears twice in {pduName}.");
                }
            }
            else
            {
                throw new DicomProtocolException(AbortSource.ServiceProvider, AbortReason.UnrecognizedPduParameter,
                    $"{pduName} contains item type 0x{type:X2}, which PS3.8 9.3 does not define there.");
            }
        }

        if (applicationContext is null)
        {
            throw DicomProtocolException.Invalid($"{pduName} has no application context item.");
        }

        if (userInformation is null)
        {
            throw DicomProtocolException.Invalid($"{pduName} has no user information item (PS3.7 D.3.3: maximum length is required).");
        }

        return new Fields(version, called, calling, applicationContext, requested, accepted, userInformation);
    }

    internal sealed record Fields(
        ushort ProtocolVersion,
        string CalledAeTitle,
        string CallingAeTitle,
        string ApplicationContextName,
        List<PresentationContextRequestItem> Requested,
        List<PresentationContextAcceptItem> Accepted,
        UserInformation UserInformation);
}
