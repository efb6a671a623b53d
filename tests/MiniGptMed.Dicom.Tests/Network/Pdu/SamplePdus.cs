using System.Buffers;
using System.Text;
using MiniGptMed.Dicom.Network.Pdu;

namespace MiniGptMed.Dicom.Tests.Network.Pdu;

/// <summary>One valid example of every PDU type, with every sub-item the parser knows.</summary>
internal static class SamplePdus
{
    public const string Verification = "1.2.840.10008.1.1";
    public const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";
    public const string ImplicitLittle = "1.2.840.10008.1.2";
    public const string ExplicitLittle = "1.2.840.10008.1.2.1";

    public static AssociateRequestPdu Request() => new()
    {
        CalledAeTitle = "MINIGPTMED",
        CallingAeTitle = "STORESCU",
        PresentationContexts =
        [
            new PresentationContextRequestItem(1, Verification, [ImplicitLittle]),
            new PresentationContextRequestItem(3, CtImageStorage, [ExplicitLittle, ImplicitLittle]),
        ],
        UserInformation = new UserInformation
        {
            MaximumLength = 16384,
            ImplementationClassUid = "1.2.276.0.7230010.3.0.3.6.8",
            ImplementationVersionName = "OFFIS_DCMTK_368",
            AsynchronousOperationsWindow = new AsynchronousOperationsWindow(1, 1),
            RoleSelections = [new RoleSelection(CtImageStorage, true, false)],
            UserIdentity = new UserIdentityRequest(UserIdentityType.UsernameAndPasscode, true, Encoding.UTF8.GetBytes("alice"), Encoding.UTF8.GetBytes("secret")),
            ExtendedNegotiation = [new OpaqueSubItem(ItemType.SopClassExtendedNegotiation, new byte[] { 0, 3, (byte)'1', (byte)'.', (byte)'2', 1 })],
        },
    };

    public static AssociateAcceptPdu Accept() => new()
    {
        CalledAeTitle = "MINIGPTMED",
        CallingAeTitle = "STORESCU",
        PresentationContexts =
        [
            new PresentationContextAcceptItem(1, PresentationContextResult.Acceptance, ImplicitLittle),
            new PresentationContextAcceptItem(3, PresentationContextResult.AbstractSyntaxNotSupported, string.Empty),
        ],
        UserInformation = new UserInformation
        {
            MaximumLength = 131072,
            ImplementationClassUid = "1.2.826.0.1.3680043.10.1",
            ImplementationVersionName = "MINIGPTMED_1",
            AsynchronousOperationsWindow = new AsynchronousOperationsWindow(1, 1),
            UserIdentityServerResponse = new byte[] { 1, 2, 3 },
        },
    };

    public static DataTransferPdu Data() => new(
    [
        new PresentationDataValue(1, true, true, new ReadOnlySequence<byte>(new byte[] { 1, 2, 3, 4 })),
        new PresentationDataValue(3, false, false, new ReadOnlySequence<byte>(new byte[] { 9, 8, 7 })),
    ]);

    public static IEnumerable<DicomPdu> All() =>
    [
        Request(),
        Accept(),
        new AssociateRejectPdu(RejectResult.Permanent, RejectSource.ServiceUser, RejectReason.CalledAeTitleNotRecognized),
        Data(),
        ReleaseRequestPdu.Instance,
        ReleaseResponsePdu.Instance,
        new AbortPdu(AbortSource.ServiceProvider, AbortReason.UnexpectedPdu),
    ];

    public static TheoryData<string> Names() => new(All().Select(p => p.GetType().Name));

    public static DicomPdu ByName(string name) => All().Single(p => p.GetType().Name == name);

    /// <summary>Splits bytes into one segment per byte, so parsers meet every possible segment boundary.</summary>
    public static ReadOnlySequence<byte> Fragmented(byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segment(bytes.AsMemory(0, 1), 0);
        var last = first;
        for (var i = 1; i < bytes.Length; i++)
        {
            last = last.Append(bytes.AsMemory(i, 1));
        }

        return new ReadOnlySequence<byte>(first, 0, last, 1);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
