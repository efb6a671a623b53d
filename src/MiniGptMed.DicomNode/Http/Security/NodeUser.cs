namespace MiniGptMed.DicomNode.Http.Security;

/// <summary>A local user of the console and API (table <c>users</c>); the password hash never leaves the store.</summary>
public sealed record NodeUser(string Name, string Role, DateTimeOffset CreatedAt, int ApiKeys);

/// <summary>User names: what a person types at the login form and what the audit shows.</summary>
public static class UserNames
{
    public const int MaxLength = 64;

    /// <summary>Null when <paramref name="name"/> is acceptable, else why not.</summary>
    public static string? Check(string name) =>
        name.Length == 0 ? "is empty."
        : name.Length > MaxLength ? $"is longer than {MaxLength} characters."
        : !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '@')
            ? $"'{name}' has characters other than letters, digits and . _ - @."
            : null;
}
