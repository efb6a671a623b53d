using System.Net;

namespace MiniGptMed.DicomNode.Http;

/// <summary>Whether the admin API and console ask who is calling (configuration <c>Admin:Authentication</c>).</summary>
public enum AdminAuthenticationMode
{
    /// <summary>Off while <c>Admin:Url</c> is a loopback address (only this machine can call), required otherwise.</summary>
    Auto,

    /// <summary>Always required, even on loopback (a reverse proxy on the same machine forwards other people's requests).</summary>
    Required,
}

/// <summary>The admin HTTP surface: REST API, web console, health and metrics (configuration section <c>Admin</c>).</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";

    /// <summary>Loopback only by default: nobody else reaches the console until an admin opens it (and then must log in).</summary>
    public const string DefaultUrl = "http://127.0.0.1:8080";

    /// <summary>
    /// <c>http://ADDRESS:PORT</c> or <c>https://ADDRESS:PORT</c>; ADDRESS an IP address, <c>localhost</c>, or <c>*</c>/<c>0.0.0.0</c>/<c>[::]</c>
    /// for every interface; port 0 lets the OS choose (tests). Empty turns the HTTP surface off.
    /// </summary>
    public string Url { get; set; } = DefaultUrl;

    public AdminAuthenticationMode Authentication { get; set; } = AdminAuthenticationMode.Auto;

    /// <summary>For https: the PEM certificate (its chain after it) and its unencrypted PEM key.</summary>
    public string? CertificateFile { get; set; }

    public string? KeyFile { get; set; }

    /// <summary>A console session ends this long after its last request (sliding). OWASP's session guidance: hours, not days.</summary>
    public int SessionMinutes { get; set; } = 480;

    /// <summary>How often the queue depth by state is read for /metrics.</summary>
    public int MetricsSampleSeconds { get; set; } = 5;

    public bool Enabled => !string.IsNullOrWhiteSpace(Url);

    /// <summary>The address and port of <see cref="Url"/>; false when it does not parse.</summary>
    public static bool TryParseUrl(string url, out IPEndPoint endPoint, out bool https)
    {
        endPoint = new IPEndPoint(IPAddress.Loopback, 0);
        https = false;
        // "*" and "+" are Kestrel's spellings of every interface; Uri does not take them as hosts.
        var text = url.Trim().Replace("://*:", "://0.0.0.0:", StringComparison.Ordinal).Replace("://+:", "://0.0.0.0:", StringComparison.Ordinal);
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.UserInfo.Length > 0)
        {
            return false;
        }

        https = uri.Scheme == "https";
        var port = uri.IsDefaultPort && !text.Contains($":{uri.Port}", StringComparison.Ordinal) ? (https ? 443 : 80) : uri.Port;
        if (uri.Host == "localhost")
        {
            endPoint = new IPEndPoint(IPAddress.Loopback, port);
            return true;
        }

        if (!IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address))
        {
            return false;
        }

        endPoint = new IPEndPoint(address, port);
        return true;
    }

    /// <summary>Whether the bind lets only this machine in: a loopback address (not "every interface").</summary>
    public static bool IsLoopback(IPEndPoint endPoint) => IPAddress.IsLoopback(endPoint.Address);

    /// <summary>Whether callers must authenticate: <see cref="AdminAuthentication.Required"/>, or any bind that is not loopback.</summary>
    public bool AuthenticationRequired =>
        Authentication == AdminAuthenticationMode.Required || !TryParseUrl(Url, out var endPoint, out _) || !IsLoopback(endPoint);
}
