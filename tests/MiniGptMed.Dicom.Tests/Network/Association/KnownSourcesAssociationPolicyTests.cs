using System.Net;
using MiniGptMed.Dicom.Network.Association;
using MiniGptMed.Dicom.Tests.Network.Pdu;

namespace MiniGptMed.Dicom.Tests.Network.Association;

public sealed class KnownSourcesAssociationPolicyTests
{
    private static readonly KnownSource Modality = new("CT1", [IPNetwork.Parse("10.1.2.3/32")], []);
    private static readonly KnownSource Subnet = new(KnownSource.AnyAeTitle, [IPNetwork.Parse("192.168.7.0/24")], ["RESEARCH"]);

    private static readonly AccessRules Rules = new(
        [new ListeningAe("NODE"), new ListeningAe("STRICT", RequireKnownSource: true), new ListeningAe("RESEARCH")],
        [Modality, Subnet]);

    private static AssociationDecision Evaluate(string called, string calling, string address) =>
        KnownSourcesAssociationPolicy.Evaluate(Rules, called, calling, IPAddress.Parse(address));

    [Fact]
    public void CalledAeThatIsNotListening_IsRejectedCalledAeNotRecognized()
    {
        Assert.Equal(AssociationDecision.CalledAeNotRecognized, Evaluate("OTHER", "CT1", "10.1.2.3"));
        // AE titles are case sensitive (PS3.5 6.2: the AE VR is not case-folded).
        Assert.Equal(AssociationDecision.CalledAeNotRecognized, Evaluate("node", "CT1", "127.0.0.1"));
    }

    [Theory]
    [InlineData("NODE", "CT1", "10.1.2.3")] // known source, right address
    [InlineData("NODE", "CT1", "::ffff:10.1.2.3")] // the same, as a dual-mode socket reports it
    [InlineData("STRICT", "CT1", "10.1.2.3")] // a strict AE takes known sources
    [InlineData("NODE", "ANYONE", "127.0.0.1")] // out of the box: any calling AE from loopback
    [InlineData("NODE", "ANYONE", "::1")]
    [InlineData("RESEARCH", "WORKSTATION9", "192.168.7.200")] // wildcard AE from its subnet, to the AE it may call
    public void Accepted(string called, string calling, string address) =>
        Assert.Equal(AssociationDecision.Accept, Evaluate(called, calling, address));

    [Theory]
    [InlineData("NODE", "CT1", "10.1.2.4")] // known AE title, wrong address
    [InlineData("NODE", "CT2", "10.1.2.3")] // known address, unknown AE title
    [InlineData("NODE", "ANYONE", "10.9.9.9")] // nothing remote gets in by default
    [InlineData("STRICT", "ANYONE", "127.0.0.1")] // a strict AE does not take loopback strangers
    [InlineData("NODE", "WORKSTATION9", "192.168.7.200")] // the subnet may only call RESEARCH
    public void RejectedCallingAeNotRecognized(string called, string calling, string address) =>
        Assert.Equal(AssociationDecision.CallingAeNotRecognized, Evaluate(called, calling, address));

    [Fact]
    public async Task RulesAreReadForEveryAssociation()
    {
        var rules = AccessRules.LoopbackOnly("NODE");
        var policy = new KnownSourcesAssociationPolicy(() => rules);
        var request = new AssociationRequestInfo("NODE", "CT1", new IPEndPoint(IPAddress.Parse("10.1.2.3"), 4000), null, SamplePdus.Request());

        Assert.Equal(AssociationDecision.CallingAeNotRecognized, await policy.EvaluateAsync(request, default));
        rules = rules with { Sources = [Modality] };
        Assert.Equal(AssociationDecision.Accept, await policy.EvaluateAsync(request, default));
    }

    [Theory]
    [InlineData("10.1.2.3", true)] // a known source's address
    [InlineData("::ffff:10.1.2.3", true)]
    [InlineData("192.168.7.200", true)] // inside a source's network
    [InlineData("127.0.0.2", true)] // loopback, and some listening AE takes loopback peers
    [InlineData("10.1.2.4", false)] // no rule holds it: closed at accept
    [InlineData("fd00::1", false)]
    public void AddressPreCheck_AdmitsExactlyTheAddressesSomeRuleCouldAccept(string address, bool admitted) =>
        Assert.Equal(admitted, KnownSourcesAssociationPolicy.AdmitsAddress(Rules, IPAddress.Parse(address)));

    [Fact]
    public void AddressPreCheck_RefusesLoopback_WhenEveryListeningAeRequiresKnownSources()
    {
        var strict = new AccessRules([new ListeningAe("STRICT", RequireKnownSource: true)], [Modality]);
        Assert.False(KnownSourcesAssociationPolicy.AdmitsAddress(strict, IPAddress.Loopback));
        Assert.True(KnownSourcesAssociationPolicy.AdmitsAddress(strict, IPAddress.Parse("10.1.2.3")));
    }
}
