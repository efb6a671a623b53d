using MiniGptMed.DicomNode.Worklist.Fhir;

namespace MiniGptMed.DicomNode.Worklist.Notices;

/// <summary>
/// <c>Worklist</c>: the channels that tell the reading worklist what an analysis found. Each configured channel gets
/// one <c>notify</c> job per analysed study version; none configured, none is queued.
/// </summary>
public sealed class WorklistOptions
{
    public const string Section = "Worklist";

    /// <summary>HL7 v2.5.1 ORU^R01 over MLLP; on when <see cref="Hl7Options.Host"/> is set.</summary>
    public Hl7Options Hl7 { get; set; } = new();

    /// <summary>FHIR R4: a transaction Bundle (DiagnosticReport, Observations, Task); on when <see cref="FhirOptions.BaseUrl"/> is set.</summary>
    public FhirOptions Fhir { get; set; } = new();

    /// <summary>CloudEvents 1.0 JSON, HMAC-SHA256 signed, to each URL.</summary>
    public List<WebhookOptions> Webhooks { get; set; } = [];

    /// <summary>The channel names in force: <c>fhir</c>, <c>hl7</c>, <c>webhook:&lt;Name&gt;</c>.</summary>
    public IReadOnlyList<string> Channels()
    {
        var channels = new List<string>();
        if (!string.IsNullOrWhiteSpace(Fhir.BaseUrl))
        {
            channels.Add(FhirOptions.ChannelName);
        }

        if (!string.IsNullOrWhiteSpace(Hl7.Host))
        {
            channels.Add(Hl7Options.ChannelName);
        }

        channels.AddRange(Webhooks.Select(w => WebhookOptions.ChannelPrefix + w.Name));
        return channels;
    }
}

/// <summary>Retries within one job run, a circuit breaker, a timeout per attempt: the shape of Export's pipeline.</summary>
public class ChannelResilienceOptions
{
    /// <summary>One attempt: connect, send, wait for the answer.</summary>
    public int AttemptTimeoutSeconds { get; set; } = 30;

    public int Retries { get; set; } = 3;

    public int RetryDelayMilliseconds { get; set; } = 2000;

    public int BreakAfterFailures { get; set; } = 5;

    public int BreakSeconds { get; set; } = 60;
}

public sealed class Hl7Options : ChannelResilienceOptions
{
    public const string ChannelName = "hl7";

    public string Host { get; set; } = "";

    public int Port { get; set; } = 2575;

    /// <summary>MSH-3 / MSH-4: us.</summary>
    public string SendingApplication { get; set; } = "MINIGPTMED";

    public string SendingFacility { get; set; } = "";

    /// <summary>MSH-5 / MSH-6: the RIS.</summary>
    public string ReceivingApplication { get; set; } = "RIS";

    public string ReceivingFacility { get; set; } = "";

    /// <summary>MSH-11: P production, T training, D debugging.</summary>
    public string ProcessingId { get; set; } = "P";

    /// <summary>The longest ACK read back (bytes): a peer that sends more is cut off, never buffered without bound.</summary>
    public int MaxAckBytes { get; set; } = 64 * 1024;
}

public sealed class WebhookOptions : ChannelResilienceOptions
{
    public const string ChannelPrefix = "webhook:";

    /// <summary>Names the channel (<c>webhook:&lt;Name&gt;</c>) in jobs and logs.</summary>
    public string Name { get; set; } = "";

    public string Url { get; set; } = "";

    /// <summary>The HMAC-SHA256 key (UTF-8). Required: an unsigned notice cannot be told from a forged one.</summary>
    public string Secret { get; set; } = "";
}
