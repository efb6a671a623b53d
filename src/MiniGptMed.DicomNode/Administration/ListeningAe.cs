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
    // Settable, not init-only: source-generated JSON assigns every init-only property in one object initializer, so a
    // property a request body leaves out would lose its default here (an AE added with only its title got MaxWait 0).
    public string AeTitle { get; set; } = "";

    /// <summary>Study (default) or Series: what one analysis covers.</summary>
    public GroupLevel GroupBy { get; set; } = GroupLevel.Study;

    /// <summary>A group is stable this long after its last instance.</summary>
    public int StableSeconds { get; set; } = 10;

    /// <summary>A group is taken at this age even if instances still arrive.</summary>
    public int MaxWaitSeconds { get; set; } = 600;

    public LateArrivalPolicy LateArrivals { get; set; } = LateArrivalPolicy.Ignore;

    /// <summary>Accept only known sources, even from loopback.</summary>
    public bool RequireKnownSource { get; set; }

    /// <summary>The analysis rules (by name) tried for this AE, in the rules' order; empty: every rule.</summary>
    public IReadOnlyList<string> Rules { get; set; } = [];

    /// <summary>The destinations (by name) this AE's results go to; empty: every destination.</summary>
    public IReadOnlyList<string> Destinations { get; set; } = [];
}
