using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using MiniGptMed.DicomNode.Jobs;
using MiniGptMed.DicomNode.Worklist.Notices;

namespace MiniGptMed.DicomNode.Worklist.Fhir;

/// <summary>
/// The <c>Authorization</c> of a FHIR request: a fixed bearer token, or one obtained with the OAuth 2.0 client
/// credentials grant (RFC 6749 4.4) and kept until shortly before it expires (a tenth of its life, at most a minute,
/// early), so that one token serves many notices. A 401 from the FHIR server drops it (<see cref="Invalidate"/>).
/// </summary>
internal sealed class FhirTokenSource(HttpClient http, TimeProvider time, ILogger logger)
{
    // Notices of one channel run one at a time, so a race costs at most a second token, never a wrong one.
    private volatile CachedToken? _cached;
    private int _fetched;

    /// <summary>How many tokens were fetched from the token endpoint (the tests count them).</summary>
    public int Fetched => Volatile.Read(ref _fetched);

    public async Task<AuthenticationHeaderValue?> AuthorizationAsync(FhirOptions options, CancellationToken cancellationToken)
    {
        if (!options.OAuth.Enabled)
        {
            return string.IsNullOrEmpty(options.BearerToken) ? null : new AuthenticationHeaderValue("Bearer", options.BearerToken);
        }

        var oauth = options.OAuth;
        var key = oauth.TokenUrl + "\n" + oauth.ClientId + "\n" + oauth.Scope;
        if (_cached is { } c && c.Key == key && time.GetUtcNow() < c.Until)
        {
            return new AuthenticationHeaderValue("Bearer", c.Token);
        }

        var (token, lifetime) = await FetchAsync(oauth, options.MaxResponseBytes, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _fetched);
        WorklistLog.FhirToken(logger, oauth.TokenUrl, lifetime.TotalSeconds);
        var margin = TimeSpan.FromSeconds(Math.Min(60, lifetime.TotalSeconds / 10));
        _cached = new CachedToken(key, token, time.GetUtcNow() + lifetime - margin);
        return new AuthenticationHeaderValue("Bearer", token);
    }

    public void Invalidate() => _cached = null;

    private async Task<(string Token, TimeSpan Lifetime)> FetchAsync(FhirOAuthOptions oauth, int maxBytes, CancellationToken cancellationToken)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials" };
        if (!string.IsNullOrWhiteSpace(oauth.Scope))
        {
            form["scope"] = oauth.Scope;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, oauth.TokenUrl) { Content = new FormUrlEncodedContent(form) };
        // RFC 6749 2.3.1: client_id and client_secret form-encoded, then HTTP Basic.
        var basic = Uri.EscapeDataString(oauth.ClientId) + ":" + Uri.EscapeDataString(oauth.ClientSecret);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(basic)));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var body = await FhirChannel.ReadBoundedAsync(response, maxBytes, cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        if (!response.IsSuccessStatusCode)
        {
            var what = $"the OAuth token endpoint {oauth.TokenUrl} answered {status} {response.ReasonPhrase}: {OAuthError(body)}";
            if (status is (int)HttpStatusCode.RequestTimeout or (int)HttpStatusCode.TooManyRequests or >= 500)
            {
                throw new NoticeRetryException(what);
            }

            // RFC 6749 5.2: invalid_client, unauthorized_client, invalid_scope... do not pass by asking again.
            throw new PermanentJobFailureException(what);
        }

        OAuthTokenResponse? token;
        try
        {
            token = JsonSerializer.Deserialize(body, FhirJsonContext.Default.OAuthTokenResponse);
        }
        catch (JsonException ex)
        {
            throw new NoticeRetryException($"the OAuth token endpoint {oauth.TokenUrl} answered with JSON that is not a token response: {ex.Message}", ex);
        }

        if (token?.AccessToken is not { Length: > 0 } accessToken || !string.Equals(token.TokenType, "bearer", StringComparison.OrdinalIgnoreCase))
        {
            throw new PermanentJobFailureException($"the OAuth token endpoint {oauth.TokenUrl} gave no bearer access_token (token_type '{token?.TokenType}')");
        }

        // RFC 6749 5.1: expires_in is recommended, not required; without it the token is used for five minutes.
        var lifetime = TimeSpan.FromSeconds(Math.Clamp(token.ExpiresIn ?? 300, 1, 24 * 3600));
        return (accessToken, lifetime);
    }

    private static string OAuthError(byte[] body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error))
            {
                return root.TryGetProperty("error_description", out var description) ? $"{error} ({description})" : error.ToString();
            }
        }
        catch (JsonException)
        {
        }

        return body.Length == 0 ? "no body" : FhirChannel.Excerpt(body);
    }

    private sealed record CachedToken(string Key, string Token, DateTimeOffset Until);
}
