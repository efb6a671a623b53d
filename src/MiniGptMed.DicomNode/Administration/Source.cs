namespace MiniGptMed.DicomNode.Administration;

/// <summary>A peer allowed to send: its calling AE title and where it connects from.</summary>
public sealed record Source
{
    // Settable, not init-only: source-generated JSON assigns every init-only property in one object initializer, so a
    // property a request body leaves out would lose its default here (an AE added with only its title got MaxWait 0).
    public string Name { get; set; } = "";

    /// <summary>Its calling AE title, or <c>*</c> for any AE title from <see cref="Addresses"/>.</summary>
    public string AeTitle { get; set; } = "";

    /// <summary>IP addresses or CIDR networks (<c>10.1.2.3</c>, <c>10.1.0.0/16</c>, <c>fd00::/8</c>); host names are not resolved.</summary>
    public IReadOnlyList<string> Addresses { get; set; } = [];

    /// <summary>The listening AE titles it may call; empty: all.</summary>
    public IReadOnlyList<string> CalledAes { get; set; } = [];

    /// <summary>Where it listens for results sent back to it (its own storage SCP), if it does.</summary>
    public int? ResultsPort { get; set; }
}
