using System.Data.Common;

namespace MiniGptMed.DicomNode.Database;

/// <summary>Small helpers over ADO.NET commands, shared by both engines (named <c>@parameters</c> work in both).</summary>
internal static class DbCommands
{
    public static DbCommand Command(this DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbConnection, Dictionary<string, DbCommand>> Statements = new();

    /// <summary>
    /// A command for <paramref name="sql"/> kept with its connection and prepared once, its parameters cleared for the
    /// caller to add again: for the statements every received instance runs (the catalogue's row), whose parse would
    /// otherwise be paid per instance on the receiving thread. Not disposed by the caller: it lives as long as the
    /// connection (closing a connection finalizes its statements). One transaction at a time per connection, as every
    /// writer of the node uses it.
    /// </summary>
    public static DbCommand Prepared(this DbConnection connection, DbTransaction? transaction, string sql)
    {
        var cache = Statements.GetValue(connection, _ => new Dictionary<string, DbCommand>(StringComparer.Ordinal));
        if (!cache.TryGetValue(sql, out var command))
        {
            command = connection.Command(transaction, sql);
            cache[sql] = command;
        }

        command.Transaction = transaction;
        command.Parameters.Clear();
        return command;
    }

    public static DbCommand With(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return command;
    }

    /// <summary>Adds <c>@prefix0..n</c> and returns the <c>(@prefix0, @prefix1)</c> list for an IN clause.</summary>
    public static string WithList(this DbCommand command, string prefix, IEnumerable<object> values)
    {
        var names = new List<string>();
        foreach (var value in values)
        {
            var name = $"@{prefix}{names.Count}";
            command.With(name, value);
            names.Add(name);
        }

        return names.Count == 0 ? "(NULL)" : $"({string.Join(", ", names)})";
    }

    public static string? GetNullableString(this DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static int? GetNullableInt32(this DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Convert.ToInt32(reader.GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>An integer column as Int32 whatever the engine returned (SQLite integers are 64-bit, smallint is 16).</summary>
    public static int GetInt(this DbDataReader reader, int ordinal) =>
        Convert.ToInt32(reader.GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);
}
