namespace MiniGptMed.DicomNode.Assembly;

/// <summary>What happens to instances that arrive for a group whose analysis has already started.</summary>
public enum LateArrivalPolicy
{
    /// <summary>Stored and catalogued, but the group is not analysed again.</summary>
    Ignore,

    /// <summary>The group is analysed again once quiet; the new SR names the earlier one (PS3.3 C.17.2.3 Predecessor Documents Sequence).</summary>
    Reanalyse,
}

/// <summary>
/// When a group of received instances is complete enough to analyse (configuration section <c>Assembly</c>). The
/// top-level values are the defaults; <see cref="AeTitles"/> overrides them per listening AE title. DICOM has no
/// "end of study" message (PS3.4 B: each C-STORE stands alone), so a quiet period is the signal, bounded by a
/// maximum wait for a modality that keeps sending.
/// </summary>
public sealed class AssemblyOptions
{
    public const string Section = "Assembly";

    /// <summary>A group is stable this long after its last instance.</summary>
    public int StableSeconds { get; set; } = 10;

    /// <summary>A group is taken at this age (since its first instance) even if instances still arrive.</summary>
    public int MaxWaitSeconds { get; set; } = 600;

    /// <summary>Study (default) or Series: what one analysis covers.</summary>
    public Catalogue.GroupLevel GroupBy { get; set; } = Catalogue.GroupLevel.Study;

    public LateArrivalPolicy LateArrivals { get; set; } = LateArrivalPolicy.Ignore;

    /// <summary>
    /// The longest assembly sleeps between passes. A receiving group is taken at its due moment whatever this is
    /// (assembly sleeps until the earliest one); the poll finds groups that start while it sleeps, late arrivals, and
    /// groups other nodes of a shared database received.
    /// </summary>
    public int PollMilliseconds { get; set; } = 1000;

    /// <summary>Per listening AE title: only the values given override the defaults above.</summary>
    public Dictionary<string, AeAssemblyOptions> AeTitles { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The effective settings of one listening AE.</summary>
    public AeAssemblySettings For(string calledAe)
    {
        AeTitles.TryGetValue(calledAe, out var ae);
        return new AeAssemblySettings(
            TimeSpan.FromSeconds(ae?.StableSeconds ?? StableSeconds),
            TimeSpan.FromSeconds(ae?.MaxWaitSeconds ?? MaxWaitSeconds),
            ae?.GroupBy ?? GroupBy,
            ae?.LateArrivals ?? LateArrivals);
    }
}

/// <summary>One AE's overrides of <see cref="AssemblyOptions"/>; null keeps the default.</summary>
public sealed class AeAssemblyOptions
{
    public int? StableSeconds { get; set; }

    public int? MaxWaitSeconds { get; set; }

    public Catalogue.GroupLevel? GroupBy { get; set; }

    public LateArrivalPolicy? LateArrivals { get; set; }
}

/// <summary>The assembly settings in force for one listening AE.</summary>
public sealed record AeAssemblySettings(TimeSpan StableAfter, TimeSpan MaxWait, Catalogue.GroupLevel GroupBy, LateArrivalPolicy LateArrivals);
