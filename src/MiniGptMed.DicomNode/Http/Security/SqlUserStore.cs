using System.Data.Common;
using MiniGptMed.DicomNode.Database;

namespace MiniGptMed.DicomNode.Http.Security;

/// <summary>Users and API keys in the node's database (migration 0004), written through the database's writer.</summary>
internal sealed class SqlUserStore(SqlDialect dialect, IDbWriter writer, ConnectionSource connections, TimeProvider time)
{
    /// <summary>False when a user of that name exists (nothing written).</summary>
    public Task<bool> AddAsync(string name, string role, string passwordHash, CancellationToken cancellationToken = default) =>
        writer.WriteAsync<bool>(async (connection, transaction, ct) =>
        {
            if (await ExistsAsync(connection, transaction, name, ct).ConfigureAwait(false))
            {
                return false;
            }

            var now = dialect.Time(time.GetUtcNow());
            await using var insert = connection.Command(transaction,
                "INSERT INTO users (name, role, password_hash, created_at, updated_at) VALUES (@n, @r, @h, @t, @t)")
                .With("@n", name).With("@r", role).With("@h", passwordHash).With("@t", now);
            await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    public Task<bool> SetPasswordAsync(string name, string passwordHash, CancellationToken cancellationToken = default) =>
        ExecuteAsync("UPDATE users SET password_hash = @h, updated_at = @t WHERE name = @n", name, ("@h", passwordHash), cancellationToken);

    public Task<bool> SetRoleAsync(string name, string role, CancellationToken cancellationToken = default) =>
        ExecuteAsync("UPDATE users SET role = @h, updated_at = @t WHERE name = @n", name, ("@h", role), cancellationToken);

    /// <summary>Removes the user and its keys (explicitly: SQLite's reading connections do not enforce ON DELETE CASCADE).</summary>
    public Task<bool> RemoveAsync(string name, CancellationToken cancellationToken = default) =>
        writer.WriteAsync<bool>(async (connection, transaction, ct) =>
        {
            await using (var keys = connection.Command(transaction, "DELETE FROM api_keys WHERE user_name = @n").With("@n", name))
            {
                await keys.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            await using var user = connection.Command(transaction, "DELETE FROM users WHERE name = @n").With("@n", name);
            return await user.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
        }, cancellationToken);

    /// <summary>Stores the hash of a new key for the user; false when there is no such user.</summary>
    public Task<bool> AddKeyAsync(string name, string keyHash, CancellationToken cancellationToken = default) =>
        writer.WriteAsync<bool>(async (connection, transaction, ct) =>
        {
            if (!await ExistsAsync(connection, transaction, name, ct).ConfigureAwait(false))
            {
                return false;
            }

            await using var insert = connection.Command(transaction, "INSERT INTO api_keys (user_name, key_hash, created_at) VALUES (@n, @h, @t)")
                .With("@n", name).With("@h", keyHash).With("@t", dialect.Time(time.GetUtcNow()));
            await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>The user and its password hash, for a login; null when unknown.</summary>
    public async Task<(NodeUser User, string PasswordHash)?> FindWithHashAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command(null,
            "SELECT name, role, created_at, (SELECT count(*) FROM api_keys k WHERE k.user_name = u.name), password_hash FROM users u WHERE name = @n")
            .With("@n", name);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? (Read(reader), reader.GetString(4)) : null;
    }

    public async Task<NodeUser?> FindAsync(string name, CancellationToken cancellationToken = default) =>
        (await FindWithHashAsync(name, cancellationToken).ConfigureAwait(false))?.User;

    /// <summary>The owner of the key with this hash; null when no key has it.</summary>
    public async Task<NodeUser?> FindByKeyAsync(string keyHash, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command(null,
            "SELECT u.name, u.role, u.created_at, 0 FROM api_keys k JOIN users u ON u.name = k.user_name WHERE k.key_hash = @h")
            .With("@h", keyHash);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<NodeUser>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command(null,
            "SELECT name, role, created_at, (SELECT count(*) FROM api_keys k WHERE k.user_name = u.name) FROM users u ORDER BY name");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var users = new List<NodeUser>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            users.Add(Read(reader));
        }

        return users;
    }

    private NodeUser Read(DbDataReader reader) => new(reader.GetString(0), reader.GetString(1), dialect.ReadTime(reader, 2), reader.GetInt(3));

    private static async Task<bool> ExistsAsync(DbConnection connection, DbTransaction transaction, string name, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(transaction, "SELECT count(*) FROM users WHERE name = @n").With("@n", name);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    private Task<bool> ExecuteAsync(string sql, string name, (string Name, object Value) parameter, CancellationToken cancellationToken) =>
        writer.WriteAsync<bool>(async (connection, transaction, ct) =>
        {
            await using var command = connection.Command(transaction, sql)
                .With("@n", name).With(parameter.Name, parameter.Value).With("@t", dialect.Time(time.GetUtcNow()));
            return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
        }, cancellationToken);
}
