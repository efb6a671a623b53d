using System.Net;

namespace MiniGptMed.Dicom.Network.Association;

/// <summary>An AE title this node answers to.</summary>
/// <param name="AeTitle">The called AE title peers must use (PS3.8 9.3.2: compared without trailing spaces).</param>
/// <param name="RequireKnownSource">
/// Only configured sources may associate, even from loopback. When false, configured sources are accepted from
/// anywhere and any calling AE from a loopback address, so a first try on one machine works.
/// </param>
public sealed record ListeningAe(string AeTitle, bool RequireKnownSource = false);

/// <summary>A peer allowed to associate: its calling AE title and the networks it connects from.</summary>
/// <param name="AeTitle">The calling AE title, or <c>*</c> for any calling AE from <paramref name="Networks"/>.</param>
/// <param name="Networks">Addresses it may connect from (a single host is a /32 or /128 network); none means none.</param>
/// <param name="CalledAeTitles">The listening AEs it may call; empty means all of them.</param>
public sealed record KnownSource(string AeTitle, IReadOnlyList<IPNetwork> Networks, IReadOnlyList<string> CalledAeTitles)
{
    public const string AnyAeTitle = "*";

    public bool Matches(string callingAeTitle, string calledAeTitle, IPAddress address) =>
        (AeTitle == AnyAeTitle || string.Equals(AeTitle, callingAeTitle, StringComparison.Ordinal))
        && (CalledAeTitles.Count == 0 || CalledAeTitles.Contains(calledAeTitle, StringComparer.Ordinal))
        && Networks.Any(n => n.Contains(address));
}

/// <summary>Who may associate with whom: the listening AEs and the known sources, as one immutable snapshot.</summary>
public sealed record AccessRules(IReadOnlyList<ListeningAe> ListeningAes, IReadOnlyList<KnownSource> Sources)
{
    /// <summary>One listening AE, no sources: loopback peers only.</summary>
    public static AccessRules LoopbackOnly(string aeTitle) => new([new ListeningAe(aeTitle)], []);
}

/// <summary>
/// PS3.8 9.3.4 reasons from <see cref="AccessRules"/>: a called AE that is not listening here gets
/// called-AE-not-recognized; a calling AE and address that no known source matches gets calling-AE-not-recognized
/// (the standard has no reason for a wrong address; that is the nearest). The rules are read afresh for every
/// association, so a change applies to the next one without a restart.
/// </summary>
public sealed class KnownSourcesAssociationPolicy(Func<AccessRules> currentRules) : IAssociationPolicy
{
    public ValueTask<AssociationDecision> EvaluateAsync(AssociationRequestInfo request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Evaluate(currentRules(), request.CalledAeTitle, request.CallingAeTitle, request.RemoteEndPoint.Address));

    /// <summary>
    /// The pre-check at accept, before a byte is read: whether some A-ASSOCIATE-RQ from <paramref name="address"/> could
    /// pass <see cref="Evaluate"/> (a known source's network holds it, or it is loopback and some listening AE takes
    /// loopback peers). It admits a superset of what <see cref="Evaluate"/> accepts, so it never turns away a peer the
    /// rules let in; what it refuses is closed before it takes a slot.
    /// </summary>
    public static bool AdmitsAddress(AccessRules rules, IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return rules.Sources.Any(s => s.Networks.Any(n => n.Contains(address)))
            || (IPAddress.IsLoopback(address) && rules.ListeningAes.Any(ae => !ae.RequireKnownSource));
    }

    public static AssociationDecision Evaluate(AccessRules rules, string calledAeTitle, string callingAeTitle, IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            // A dual-mode socket reports IPv4 peers as ::ffff:a.b.c.d; rules are written with plain IPv4 networks.
            address = address.MapToIPv4();
        }

        var listening = rules.ListeningAes.FirstOrDefault(ae => string.Equals(ae.AeTitle, calledAeTitle, StringComparison.Ordinal));
        if (listening is null)
        {
            return AssociationDecision.CalledAeNotRecognized;
        }

        if (rules.Sources.Any(s => s.Matches(callingAeTitle, calledAeTitle, address)))
        {
            return AssociationDecision.Accept;
        }

        return !listening.RequireKnownSource && IPAddress.IsLoopback(address)
            ? AssociationDecision.Accept
            : AssociationDecision.CallingAeNotRecognized;
    }
}
