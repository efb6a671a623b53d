using System.Globalization;
using System.Text;

namespace MiniGptMed.DicomNode.Audit;

/// <summary>
/// RFC 5424 syslog messages carrying DICOM audit XML (PS3.15 A.6/A.7): PRI 85 (facility 10, security/authorization;
/// severity 5, notice) or 84 (severity 4, warning) for failures, MSGID <c>DICOM+RFC3881</c>, no structured data,
/// the XML as MSG after a UTF-8 byte order mark (RFC 5424 6.4).
/// </summary>
public static class SyslogMessage
{
    public const string MessageId = "DICOM+RFC3881";

    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    public static byte[] Create(byte[] xml, AuditOutcome outcome, DateTimeOffset timestamp, string hostName, string appName, int processId)
    {
        var pri = (10 * 8) + (outcome == AuditOutcome.Success ? 5 : 4);
        // RFC 5424 6.2: HOSTNAME and APP-NAME are PRINTUSASCII without spaces, at most 255 and 48 characters.
        var header = string.Create(CultureInfo.InvariantCulture,
            $"<{pri}>1 {timestamp.ToUniversalTime():yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'} {Field(hostName, 255)} {Field(appName, 48)} {processId} {MessageId} - ");
        var bytes = new byte[Encoding.ASCII.GetByteCount(header) + Bom.Length + xml.Length];
        var at = Encoding.ASCII.GetBytes(header, bytes);
        Bom.CopyTo(bytes, at);
        xml.CopyTo(bytes, at + Bom.Length);
        return bytes;
    }

    /// <summary>RFC 5425 4.3: octet-counting framing, "MSG-LEN SP SYSLOG-MSG".</summary>
    public static byte[] Frame(byte[] message)
    {
        var prefix = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{message.Length} "));
        var framed = new byte[prefix.Length + message.Length];
        prefix.CopyTo(framed, 0);
        message.CopyTo(framed, prefix.Length);
        return framed;
    }

    private static string Field(string value, int max)
    {
        var clean = new string([.. value.Where(c => c is > (char)32 and < (char)127).Take(max)]);
        return clean.Length == 0 ? "-" : clean;
    }
}
