using System.Buffers;
using System.Text;
using MiniGptMed.Dicom.Network.Pdu;

namespace MiniGptMed.Dicom.Tests.Network.Pdu;

public sealed class PduReaderTests
{
    private const int MaxLength = 16384;

    [Theory]
    [MemberData(nameof(SamplePdus.Names), MemberType = typeof(SamplePdus))]
    public void TryReadPdu_EveryStrictPrefix_IsIncompleteAndConsumesNothing(string name)
    {
        var bytes = SamplePdus.ByName(name).ToArray();
        for (var length = 0; length < bytes.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(bytes, 0, length);
            Assert.False(PduReader.TryReadPdu(ref buffer, MaxLength, out var pdu), $"prefix of {length} bytes");
            Assert.Null(pdu);
            Assert.Equal(length, buffer.Length);
        }
    }

    [Theory]
    [MemberData(nameof(SamplePdus.Names), MemberType = typeof(SamplePdus))]
    public void TryReadPdu_WholePduFollowedByMore_ConsumesExactlyOnePdu(string name)
    {
        var bytes = SamplePdus.ByName(name).ToArray();
        var buffer = new ReadOnlySequence<byte>([.. bytes, .. bytes[..3]]);
        Assert.True(PduReader.TryReadPdu(ref buffer, MaxLength, out var pdu));
        Assert.Equal(SamplePdus.ByName(name).Type, pdu.Type);
        Assert.Equal(3, buffer.Length);
    }

    [Theory]
    [MemberData(nameof(SamplePdus.Names), MemberType = typeof(SamplePdus))]
    public void TryReadPdu_OneByteSegments_RoundTripsToTheSameBytes(string name)
    {
        var bytes = SamplePdus.ByName(name).ToArray();
        var buffer = SamplePdus.Fragmented(bytes);
        Assert.True(PduReader.TryReadPdu(ref buffer, MaxLength, out var pdu));
        Assert.True(buffer.IsEmpty);
        Assert.Equal(bytes, pdu.ToArray());
    }

    [Fact]
    public void AssociateRequest_RoundTrip_KeepsEveryField()
    {
        var parsed = (AssociateRequestPdu)Read(SamplePdus.Request().ToArray());
        Assert.Equal("MINIGPTMED", parsed.CalledAeTitle);
        Assert.Equal("STORESCU", parsed.CallingAeTitle);
        Assert.Equal(SamplePdus.Request().PresentationContexts, parsed.PresentationContexts);
        var user = parsed.UserInformation;
        Assert.Equal(16384u, user.MaximumLength);
        Assert.Equal("1.2.276.0.7230010.3.0.3.6.8", user.ImplementationClassUid);
        Assert.Equal("OFFIS_DCMTK_368", user.ImplementationVersionName);
        Assert.Equal(new AsynchronousOperationsWindow(1, 1), user.AsynchronousOperationsWindow);
        Assert.Equal([new RoleSelection(SamplePdus.CtImageStorage, true, false)], user.RoleSelections);
        Assert.NotNull(user.UserIdentity);
        Assert.Equal(UserIdentityType.UsernameAndPasscode, user.UserIdentity.IdentityType);
        Assert.Equal("alice", user.UserIdentity.PrimaryText);
        Assert.Equal("secret", Encoding.UTF8.GetString(user.UserIdentity.SecondaryField.Span));
        Assert.Single(user.ExtendedNegotiation);
    }

    [Fact]
    public void AssociateAccept_RoundTrip_KeepsResultsAndServerResponse()
    {
        var parsed = (AssociateAcceptPdu)Read(SamplePdus.Accept().ToArray());
        Assert.Equal(SamplePdus.Accept().PresentationContexts, parsed.PresentationContexts);
        Assert.Equal(131072u, parsed.UserInformation.MaximumLength);
        Assert.Equal(new byte[] { 1, 2, 3 }, parsed.UserInformation.UserIdentityServerResponse!.Value.ToArray());
    }

    [Fact]
    public void DataTransfer_Parse_ExposesControlHeaderBitsAndFragments()
    {
        var parsed = (DataTransferPdu)Read(SamplePdus.Data().ToArray());
        Assert.Equal(2, parsed.Values.Count);
        var (command, data) = (parsed.Values[0], parsed.Values[1]);
        Assert.Equal((1, true, true), (command.PresentationContextId, command.IsCommand, command.IsLast));
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, command.Fragment.ToArray());
        Assert.Equal((3, false, false), (data.PresentationContextId, data.IsCommand, data.IsLast));
        Assert.Equal(new byte[] { 9, 8, 7 }, data.Fragment.ToArray());
    }

    [Fact]
    public void AssociateRequest_ByteLayout_MatchesPs38Table()
    {
        var bytes = SamplePdus.Request().ToArray();
        Assert.Equal(0x01, bytes[0]);
        Assert.Equal(bytes.Length - 6, (bytes[2] << 24) | (bytes[3] << 16) | (bytes[4] << 8) | bytes[5]);
        Assert.Equal(new byte[] { 0, 1 }, bytes[6..8]);
        Assert.Equal("MINIGPTMED      ", Encoding.ASCII.GetString(bytes, 10, 16));
        Assert.Equal("STORESCU        ", Encoding.ASCII.GetString(bytes, 26, 16));
        Assert.Equal(0x10, bytes[74]);
    }

    [Fact]
    public void UnknownUserInformationSubItem_IsSkipped()
    {
        var request = SamplePdus.Request();
        var bytes = request.ToArray();
        var withUnknown = InsertIntoUserInformation(bytes, [0x5F, 0, 0, 3, 0xAA, 0xBB, 0xCC]);
        var parsed = (AssociateRequestPdu)Read(withUnknown);
        Assert.Equal(request.UserInformation.MaximumLength, parsed.UserInformation.MaximumLength);
        Assert.Equal(request.UserInformation.ImplementationVersionName, parsed.UserInformation.ImplementationVersionName);
    }

    [Fact]
    public void PduClaimingFourGigabytes_IsRejectedFromItsHeaderAlone()
    {
        byte[] header = [0x04, 0, 0xFF, 0xFF, 0xFF, 0xFF];
        var buffer = new ReadOnlySequence<byte>(header);
        var ex = Assert.Throws<DicomProtocolException>(() => PduReader.TryReadPdu(ref buffer, MaxLength, out _));
        Assert.Contains("4294967295", ex.Message);
        Assert.Equal(AbortReason.InvalidPduParameterValue, ex.Reason);
    }

    [Fact]
    public void AssociateRequestClaimingFourGigabytes_IsRejectedFromItsHeaderAlone()
    {
        byte[] header = [0x01, 0, 0xFF, 0xFF, 0xFF, 0xFF];
        var buffer = new ReadOnlySequence<byte>(header);
        Assert.Throws<DicomProtocolException>(() => PduReader.TryReadPdu(ref buffer, MaxLength, out _));
    }

    [Fact]
    public void DataTransferLongerThanAnnouncedMaximum_IsRejected()
    {
        byte[] header = [0x04, 0, 0, 0, 0x40, 0x01];
        var buffer = new ReadOnlySequence<byte>(header);
        Assert.Throws<DicomProtocolException>(() => PduReader.TryReadPdu(ref buffer, MaxLength, out _));
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP")]
    [InlineData("G", "HTTP")]
    [InlineData("\u0016\u0003\u0001\u0002\u0000\u0001", "TLS")]
    [InlineData("\u0016", "TLS")]
    [InlineData("\u0000\u0000\u0000", "not a DICOM PDU")]
    public void NonDicomBytes_AreRejectedAtTheFirstByte(string text, string named)
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(text));
        var ex = Assert.Throws<DicomProtocolException>(() => PduReader.TryReadPdu(ref buffer, MaxLength, out _));
        Assert.Contains(named, ex.Message);
        Assert.Equal(AbortReason.UnrecognizedPdu, ex.Reason);
    }

    [Fact]
    public void AssociateRequestWith500PresentationContexts_IsRejected()
    {
        var contexts = Enumerable.Range(0, 500)
            .Select(i => new PresentationContextRequestItem((byte)((2 * i + 1) & 0xFF), SamplePdus.CtImageStorage, [SamplePdus.ImplicitLittle]))
            .ToList();
        var request = new AssociateRequestPdu
        {
            CalledAeTitle = "A",
            CallingAeTitle = "B",
            PresentationContexts = contexts,
            UserInformation = new UserInformation { MaximumLength = 0 },
        };
        var buffer = new ReadOnlySequence<byte>(request.ToArray());
        var ex = Assert.Throws<DicomProtocolException>(() => PduReader.TryReadPdu(ref buffer, MaxLength, out _));
        Assert.Contains("more than 128 presentation contexts", ex.Message);
    }

    [Fact]
    public void AssociateRequestWith128PresentationContexts_IsAccepted()
    {
        var contexts = Enumerable.Range(0, 128)
            .Select(i => new PresentationContextRequestItem((byte)(2 * i + 1), SamplePdus.CtImageStorage, [SamplePdus.ImplicitLittle]))
            .ToList();
        var request = new AssociateRequestPdu { CalledAeTitle = "A", CallingAeTitle = "B", PresentationContexts = contexts, UserInformation = new UserInformation() };
        var parsed = (AssociateRequestPdu)Read(request.ToArray());
        Assert.Equal(128, parsed.PresentationContexts.Count);
    }

    [Fact]
    public void DuplicatePresentationContextIds_AreRejected()
    {
        var request = new AssociateRequestPdu
        {
            CalledAeTitle = "A",
            CallingAeTitle = "B",
            PresentationContexts = [new(1, SamplePdus.Verification, [SamplePdus.ImplicitLittle]), new(1, SamplePdus.CtImageStorage, [SamplePdus.ImplicitLittle])],
            UserInformation = new UserInformation(),
        };
        var buffer = new ReadOnlySequence<byte>(request.ToArray());
        Assert.Throws<DicomProtocolException>(() => PduReader.TryReadPdu(ref buffer, MaxLength, out _));
    }

    [Fact]
    public void ItemLengthRunningPastThePdu_IsRejected()
    {
        var bytes = SamplePdus.Request().ToArray();
        bytes[76] = 0xFF; // application context item length, high byte
        var buffer = new ReadOnlySequence<byte>(bytes);
        Assert.Throws<DicomProtocolException>(() => PduReader.TryReadPdu(ref buffer, MaxLength, out _));
    }

    [Theory]
    [InlineData(new byte[] { 0x05, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 0x07, 0, 0, 0, 0, 3, 0, 0, 0 })]
    [InlineData(new byte[] { 0x04, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 0x04, 0, 0, 0, 0, 6, 0, 0, 0, 1, 1, 0xF0 })]
    [InlineData(new byte[] { 0x04, 0, 0, 0, 0, 6, 0, 0, 0, 9, 1, 0x00 })]
    public void MalformedFixedPdus_AreRejected(byte[] bytes)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);
        Assert.Throws<DicomProtocolException>(() => PduReader.TryReadPdu(ref buffer, MaxLength, out _));
    }

    [Fact]
    public void RandomMutations_NeverEscapeAsAnythingButProtocolErrors()
    {
        var random = new Random(1234);
        var originals = SamplePdus.All().Select(p => p.ToArray()).ToArray();
        for (var i = 0; i < 20000; i++)
        {
            var bytes = (byte[])originals[random.Next(originals.Length)].Clone();
            var flips = random.Next(1, 4);
            for (var f = 0; f < flips; f++)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            var buffer = new ReadOnlySequence<byte>(bytes);
            try
            {
                if (PduReader.TryReadPdu(ref buffer, MaxLength, out var pdu))
                {
                    Assert.True(pdu.TotalLength <= bytes.Length);
                }
            }
            catch (DicomProtocolException)
            {
            }
        }
    }

    private static DicomPdu Read(byte[] bytes)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);
        Assert.True(PduReader.TryReadPdu(ref buffer, MaxLength, out var pdu));
        Assert.True(buffer.IsEmpty);
        return pdu;
    }

    private static byte[] InsertIntoUserInformation(byte[] pdu, byte[] subItem)
    {
        var at = Array.LastIndexOf(pdu, (byte)0x50);
        while (pdu[at + 1] != 0)
        {
            at = Array.LastIndexOf(pdu, (byte)0x50, at - 1);
        }

        var itemLength = (pdu[at + 2] << 8) | pdu[at + 3];
        var result = new byte[pdu.Length + subItem.Length];
        pdu.AsSpan(0, at + 4).CopyTo(result);
        subItem.CopyTo(result, at + 4);
        pdu.AsSpan(at + 4).CopyTo(result.AsSpan(at + 4 + subItem.Length));
        var newItemLength = itemLength + subItem.Length;
        result[at + 2] = (byte)(newItemLength >> 8);
        result[at + 3] = (byte)newItemLength;
        var pduLength = result.Length - 6;
        result[2] = (byte)(pduLength >> 24);
        result[3] = (byte)(pduLength >> 16);
        result[4] = (byte)(pduLength >> 8);
        result[5] = (byte)pduLength;
        return result;
    }
}
