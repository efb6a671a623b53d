using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniGptMed.DicomNode.Database;

namespace MiniGptMed.DicomNode.Http.Security;

/// <summary><c>Authorization: Bearer mgm_...</c> (RFC 6750 section 2.1): the key's SHA-256 is looked up in <c>api_keys</c>.</summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, NodeDatabase database)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var key = header["Bearer ".Length..].Trim();
        if (!ApiKeys.LooksLikeKey(key)
            || await database.Users.FindByKeyAsync(ApiKeys.HashOf(key), Context.RequestAborted).ConfigureAwait(false) is not { } user)
        {
            return AuthenticateResult.Fail("The API key is not known.");
        }

        return AuthenticateResult.Success(new AuthenticationTicket(NodePrincipal.For(user.Name, user.Role, Scheme.Name), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // RFC 6750 section 3: a 401 names the scheme the client should use.
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"minigptmed\"";
        return Task.CompletedTask;
    }
}

/// <summary>
/// The caller when authentication is off (<c>Admin:Url</c> on loopback, <c>Admin:Authentication</c> Auto): everyone who
/// can connect is on this machine, and is treated as an admin named <c>local</c>.
/// </summary>
internal sealed class LoopbackAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string UserName = "local";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync() =>
        Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(NodePrincipal.For(UserName, Roles.Admin, Scheme.Name), Scheme.Name)));
}

/// <summary>The principal of a user: its name and its one role.</summary>
internal static class NodePrincipal
{
    public static ClaimsPrincipal For(string name, string role, string scheme) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], scheme, ClaimTypes.Name, ClaimTypes.Role));
}
