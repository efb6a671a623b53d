namespace MiniGptMed.DicomNode.Administration;

/// <summary>A peer allowed to send: its calling AE title and where it connects from.</summary>
public sealed record Source
{
    public string Name { get; init; } = "";

    /// <summary>Its calling AE title, or <c>*</c> for any AE title from <see cref="Addresses"/>.</summary>
    public string AeTitle { get; init; } = "";

    /// <summary>IP addresses or CIDR networks (<c>10.1.2.3</c>, <c>10.1.0.0/16</c>, <c>fd00::/8</c>); host names are not resolved.</summary>
    public IReadOnlyList<string> Addresses { get; init; } = [];

    /// <summary>The listening AE titles it may call; empty: all.</summary>
    public IReadOnlyList<string> CalledAes { get; init; } = [];

    /// <summary>Where it listens for results sent back to it (its own storage SCP), if it does.</summary>
    public int? ResultsPort { get; init; }
}
