namespace MiniGptMed.Dicom.Network;

/// <summary>The C-STORE SCU as a seam: the node's export talks to this, tests can put another peer behind it.</summary>
public interface IDicomStoreClient
{
    /// <summary>
    /// Sends the files on one association, in order; one outcome per file. When the association fails part way,
    /// throws <see cref="StoreAssociationException"/> carrying the outcomes of the files already answered.
    /// </summary>
    Task<IReadOnlyList<StoreOutcome>> StoreAsync(IReadOnlyList<Dimse.Part10Source> files, IProgress<StoreOutcome>? progress = null, CancellationToken cancellationToken = default);
}

/// <summary>
/// An association that failed (refused, aborted, timed out, the connection lost) before every file was answered.
/// <see cref="Outcomes"/> holds what the peer answered before it failed, so a caller resends only the rest.
/// </summary>
public sealed class StoreAssociationException : IOException
{
    public StoreAssociationException(string message, IReadOnlyList<StoreOutcome> outcomes, Exception innerException)
        : base(message, innerException)
    {
        Outcomes = outcomes;
    }

    public StoreAssociationException()
        : this("The association failed.", [], new IOException())
    {
    }

    public StoreAssociationException(string message)
        : this(message, [], new IOException(message))
    {
    }

    public StoreAssociationException(string message, Exception innerException)
        : this(message, [], innerException)
    {
    }

    /// <summary>The outcomes gathered before the failure (files answered by the peer, or refused locally), in order.</summary>
    public IReadOnlyList<StoreOutcome> Outcomes { get; }
}
