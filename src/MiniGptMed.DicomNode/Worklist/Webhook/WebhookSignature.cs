using System.Security.Cryptography;
using System.Text;

namespace MiniGptMed.DicomNode.Worklist.Webhook;

/// <summary>
/// The signature header: <c>sha256=</c> and the lower-case hex HMAC-SHA256 (RFC 2104, FIPS 180-4) of the exact body
/// bytes, keyed by the webhook's secret (UTF-8). The receiver computes the same over the bytes it got and compares in
/// constant time.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-MiniGptMed-Signature";

    public const string DeliveryHeader = "X-MiniGptMed-Delivery";

    public static string Sign(string secret, ReadOnlySpan<byte> body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public static bool Verify(string secret, ReadOnlySpan<byte> body, string? header) =>
        header is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(secret, body)), Encoding.ASCII.GetBytes(header));
}
