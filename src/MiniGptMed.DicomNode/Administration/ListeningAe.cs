using MiniGptMed.DicomNode.Assembly;
using MiniGptMed.DicomNode.Catalogue;

namespace MiniGptMed.DicomNode.Administration;

/// <summary>
/// An AE title this node answers to, with how its instances are assembled and where its results go. The AE title is
/// its name (PS3.8 7.1.1.6: the Called AE Title selects it). Empty <see cref="Rules"/> or <see cref="Destinations"/>
/// mean all of them, as before the database held them.
/// </summary>
public sealed record ListeningAe
{
    public string AeTitle { get; init; } = "";

    /// <summary>Study (default) or Series: what one analysis covers.</summary>
    public GroupLevel GroupBy { get; init; } = GroupLevel.Study;

    /// <summary>A group is stable this long after its last instance.</summary>
    public int StableSeconds { get; init; } = 10;

    /// <summary>A group is taken at this age even if instances still arrive.</summary>
    public int MaxWaitSeconds { get; init; } = 600;

    public LateArrivalPolicy LateArrivals { get; init; } = LateArrivalPolicy.Ignore;

    /// <summary>Accept only known sources, even from loopback.</summary>
    public bool RequireKnownSource { get; init; }

    /// <summary>The analysis rules (by name) tried for this AE, in the rules' order; empty: every rule.</summary>
    public IReadOnlyList<string> Rules { get; init; } = [];

    /// <summary>The destinations (by name) this AE's results go to; empty: every destination.</summary>
    public IReadOnlyList<string> Destinations { get; init; } = [];
}
