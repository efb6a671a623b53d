using System.Data.Common;

namespace MiniGptMed.DicomNode.Database;

/// <summary>A unit of writing run inside a transaction the writer owns; it must not commit or roll back.</summary>
internal delegate ValueTask<T> DbWork<T>(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);

/// <summary>Runs writes in transactions: one per call (<see cref="DirectWriter"/>) or many per commit (<see cref="GroupCommitWriter"/>).</summary>
internal interface IDbWriter : IAsyncDisposable
{
    /// <summary>Completes when the transaction that ran <paramref name="work"/> has committed.</summary>
    Task<T> WriteAsync<T>(DbWork<T> work, CancellationToken cancellationToken = default);
}

/// <summary>PostgreSQL's job operations: a pooled connection and a transaction per call, so claims of several workers run at once.</summary>
internal sealed class DirectWriter(ConnectionSource connections) : IDbWriter
{
    public async Task<T> WriteAsync<T>(DbWork<T> work, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var result = await work(connection, transaction, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
