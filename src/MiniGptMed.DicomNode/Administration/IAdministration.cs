namespace MiniGptMed.DicomNode.Administration;

/// <summary>
/// The node's administrable configuration, stored in its database: listening AEs, known sources, destinations and
/// analysis rules. Every change is validated (nothing is written when a field is wrong), stored with an audit row in
/// the same transaction, and bumps <see cref="ConfigSnapshot.Version"/> so that every node applies it to its next
/// association. The CLI, the HTTP API and the console all go through this.
/// </summary>
public interface IAdministration
{
    IConfigSet<ListeningAe> Aes { get; }

    IConfigSet<Source> Sources { get; }

    IConfigSet<Destination> Destinations { get; }

    IConfigSet<AnalysisRule> Rules { get; }

    /// <summary>Everything at once, consistent (one read transaction).</summary>
    Task<ConfigSnapshot> SnapshotAsync(CancellationToken cancellationToken = default);

    /// <summary>The stored version, bumped by every change; cheap (one row).</summary>
    Task<long> VersionAsync(CancellationToken cancellationToken = default);

    /// <summary>The audit of configuration changes, newest first; optionally of one kind (and of one name of that kind).</summary>
    Task<IReadOnlyList<ConfigChange>> ChangesAsync(int limit, ConfigKind? kind = null, string? name = null, CancellationToken cancellationToken = default);

    /// <summary>Raised in this process after a change committed (other processes see the version move).</summary>
    event Action<long>? Changed;
}

/// <summary>One kind of configuration item, keyed by its name (a listening AE's name is its AE title).</summary>
public interface IConfigSet<T> where T : class
{
    ConfigKind Kind { get; }

    /// <summary>In the order they apply (rules by order then name; the others by name).</summary>
    Task<IReadOnlyList<T>> ListAsync(CancellationToken cancellationToken = default);

    Task<T?> GetAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Refused (<see cref="ChangeStatus.Invalid"/>, field <c>name</c> or <c>aeTitle</c>) when the name is taken.</summary>
    Task<ChangeOutcome<T>> AddAsync(T item, string actor, CancellationToken cancellationToken = default);

    /// <summary>Replaces the item called <paramref name="name"/> by <paramref name="item"/>, whose name must be the same (renames are a remove and an add).</summary>
    Task<ChangeOutcome<T>> UpdateAsync(string name, T item, string actor, CancellationToken cancellationToken = default);

    /// <summary>
    /// Refused (<see cref="ChangeStatus.InUse"/>, each reason named) while the item is in use — a listening AE named by a
    /// rule or with a study not finished, a destination named by an AE or with export jobs not finished, a rule named by
    /// an AE — unless <paramref name="force"/>. A forced remove leaves the references as they are: an AE whose only destination
    /// was removed sends nowhere rather than everywhere (an empty list would mean all); the next update of it must fix them.
    /// </summary>
    Task<ChangeOutcome<T>> RemoveAsync(string name, string actor, bool force, CancellationToken cancellationToken = default);
}
