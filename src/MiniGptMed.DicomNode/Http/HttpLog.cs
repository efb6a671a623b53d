namespace MiniGptMed.DicomNode.Http;

/// <summary>The admin HTTP surface's log: event IDs 5800-5849. User names, job ids and addresses only, never patient data.</summary>
internal static partial class HttpLog
{
    [LoggerMessage(5800, LogLevel.Information, "Admin console and API at {Url} (authentication {Authentication})")]
    public static partial void Listening(ILogger logger, string url, string authentication);

    [LoggerMessage(5801, LogLevel.Information, "Admin: {User} logged in from {Address}")]
    public static partial void LoggedIn(ILogger logger, string user, string? address);

    [LoggerMessage(5802, LogLevel.Warning, "Admin: a login as {User} from {Address} failed")]
    public static partial void LoginFailed(ILogger logger, string user, string? address);

    [LoggerMessage(5803, LogLevel.Information, "Admin: {User} {Action} job {JobId}")]
    public static partial void JobAction(ILogger logger, string user, string action, long jobId);

    [LoggerMessage(5804, LogLevel.Warning, "Admin: the bind {Url} is not loopback, so every route but health, login and assets needs a user; create one with `minigptmed user add NAME --role admin`")]
    public static partial void AuthenticationRequired(ILogger logger, string url);
}
