using System.Text.Json.Serialization.Metadata;

namespace MiniGptMed.DicomNode.Administration;

/// <summary>One kind of item over <see cref="SqlAdministration"/>: validate first, then check and write in one transaction.</summary>
internal sealed class SqlConfigSet<T>(
    SqlAdministration administration,
    ConfigKind kind,
    JsonTypeInfo<T> type,
    Func<T, IReadOnlyList<FieldError>> check,
    Func<T, int> position) : IConfigSet<T> where T : class
{
    public ConfigKind Kind => kind;

    internal JsonTypeInfo<T> Type => type;

    public async Task<IReadOnlyList<T>> ListAsync(CancellationToken cancellationToken = default) =>
        Of(await administration.SnapshotAsync(cancellationToken).ConfigureAwait(false));

    public async Task<T?> GetAsync(string name, CancellationToken cancellationToken = default) =>
        Find(Of(await administration.SnapshotAsync(cancellationToken).ConfigureAwait(false)), name);

    public async Task<ChangeOutcome<T>> AddAsync(T item, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        item = ConfigNormalization.Normalize(item);
        var errors = check(item);
        if (errors.Count > 0)
        {
            return ChangeOutcome.Invalid<T>(errors);
        }

        var name = ConfigReferences.NameOf(item);
        return await administration.ChangeAsync<T>(async (connection, transaction, stored, version, ct) =>
        {
            if (Find(Of(stored), name) is not null)
            {
                return ChangeOutcome.Invalid<T>([new(ConfigReferences.NameField(kind), $"'{name}' is already a {ConfigReferences.Noun(kind)}; update it or choose another name.")]);
            }

            var references = ConfigReferences.Check(item, stored);
            if (references.Count > 0)
            {
                return ChangeOutcome.Invalid<T>(references);
            }

            var now = administration.Time.GetUtcNow();
            var json = SqlAdministration.Json(item);
            await administration.WriteItemAsync(connection, transaction, kind, name, position(item), json, now, insert: true, ct).ConfigureAwait(false);
            await administration.AuditAsync(connection, transaction, now, Actor(actor), kind, name, ConfigActions.Add, null, json, version, ct).ConfigureAwait(false);
            return ChangeOutcome.Done<T>(item);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ChangeOutcome<T>> UpdateAsync(string name, T item, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        item = ConfigNormalization.Normalize(item);
        var errors = new List<FieldError>(check(item));
        if (ConfigReferences.NameOf(item) != name.Trim())
        {
            errors.Insert(0, new(ConfigReferences.NameField(kind), $"'{ConfigReferences.NameOf(item)}' differs from '{name}': a {ConfigReferences.Noun(kind)} is not renamed (remove it and add the new one)."));
        }

        if (errors.Count > 0)
        {
            return ChangeOutcome.Invalid<T>(errors);
        }

        return await administration.ChangeAsync<T>(async (connection, transaction, stored, version, ct) =>
        {
            if (Find(Of(stored), name) is not { } before)
            {
                return ChangeOutcome.NotFound<T>(ConfigReferences.NameField(kind), $"'{name}' is not a {ConfigReferences.Noun(kind)}.");
            }

            var references = ConfigReferences.Check(item, stored);
            if (references.Count > 0)
            {
                return ChangeOutcome.Invalid<T>(references);
            }

            var now = administration.Time.GetUtcNow();
            var json = SqlAdministration.Json(item);
            await administration.WriteItemAsync(connection, transaction, kind, name.Trim(), position(item), json, now, insert: false, ct).ConfigureAwait(false);
            await administration.AuditAsync(connection, transaction, now, Actor(actor), kind, name.Trim(), ConfigActions.Update, SqlAdministration.Json(before), json, version, ct).ConfigureAwait(false);
            return ChangeOutcome.Done<T>(item);
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task<ChangeOutcome<T>> RemoveAsync(string name, string actor, bool force, CancellationToken cancellationToken = default) =>
        administration.ChangeAsync<T>(async (connection, transaction, stored, version, ct) =>
        {
            if (Find(Of(stored), name) is not { } before)
            {
                return ChangeOutcome.NotFound<T>(ConfigReferences.NameField(kind), $"'{name}' is not a {ConfigReferences.Noun(kind)}.");
            }

            var key = ConfigReferences.NameOf(before);
            if (!force)
            {
                var uses = new List<FieldError>(ConfigReferences.Uses(kind, key, stored));
                uses.AddRange(await administration.ActivityAsync(connection, transaction, kind, key, ct).ConfigureAwait(false));
                if (uses.Count > 0)
                {
                    return ChangeOutcome.InUse<T>(uses);
                }
            }

            var now = administration.Time.GetUtcNow();
            await SqlAdministration.DeleteItemAsync(connection, transaction, kind, key, ct).ConfigureAwait(false);
            await administration.AuditAsync(connection, transaction, now, Actor(actor), kind, key, ConfigActions.Remove, SqlAdministration.Json(before), null, version, ct).ConfigureAwait(false);
            return ChangeOutcome.Done<T>(before);
        }, cancellationToken);

    private static string Actor(string actor) => string.IsNullOrWhiteSpace(actor) ? "unknown" : actor.Trim();

    private static T? Find(IReadOnlyList<T> items, string name) =>
        items.FirstOrDefault(i => string.Equals(ConfigReferences.NameOf(i), name.Trim(), StringComparison.Ordinal));

    private IReadOnlyList<T> Of(ConfigSnapshot snapshot) => kind switch
    {
        ConfigKind.Ae => (IReadOnlyList<T>)snapshot.Aes,
        ConfigKind.Source => (IReadOnlyList<T>)snapshot.Sources,
        ConfigKind.Destination => (IReadOnlyList<T>)snapshot.Destinations,
        _ => (IReadOnlyList<T>)snapshot.Rules,
    };
}
