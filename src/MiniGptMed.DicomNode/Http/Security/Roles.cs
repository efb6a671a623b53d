namespace MiniGptMed.DicomNode.Http.Security;

/// <summary>The two roles: a viewer reads everything; an admin also changes configuration and retries or cancels jobs.</summary>
public static class Roles
{
    public const string Admin = "admin";

    public const string Viewer = "viewer";

    /// <summary>The authorization policy of endpoints that change something.</summary>
    public const string AdminPolicy = "admin";

    public static bool IsRole(string? text) => text is Admin or Viewer;
}
