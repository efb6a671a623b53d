using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniGptMed.DicomNode.Configuration;
using MiniGptMed.DicomNode.Jobs;
using MiniGptMed.DicomNode.Worklist.Fhir;
using MiniGptMed.DicomNode.Worklist.Hl7;
using MiniGptMed.DicomNode.Worklist.Notices;
using MiniGptMed.DicomNode.Worklist.Triage;
using MiniGptMed.DicomNode.Worklist.Webhook;

namespace MiniGptMed.DicomNode.Worklist;

/// <summary>Dependency-injection wiring of triage, the notice channels and the <c>notify</c> job handler.</summary>
public static class WorklistServices
{
    public static IServiceCollection AddWorklist(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TriageOptions>().Bind(configuration.GetSection(TriageOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TriageOptions>, TriageOptionsValidator>();
        services.AddOptions<WorklistOptions>().Bind(configuration.GetSection(WorklistOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WorklistOptions>, WorklistOptionsValidator>();
        services.AddSingleton(sp => new WorklistRecorder(sp.GetRequiredService<ITriageStore>(), sp.GetRequiredService<IJobQueue>(),
            sp.GetRequiredService<IOptionsMonitor<TriageOptions>>(), sp.GetRequiredService<IOptionsMonitor<WorklistOptions>>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<WorklistRecorder>>()));
        services.AddSingleton(sp => new NoticePipelines(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<NoticePipelines>>()));
        services.AddSingleton(_ => new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            // The pipeline's per-attempt timeout governs; this only stops a request that nothing else would.
            Timeout = TimeSpan.FromMinutes(10),
        });
        services.AddSingleton<IEnumerable<INoticeChannel>>(sp =>
        {
            var options = sp.GetRequiredService<IOptionsMonitor<WorklistOptions>>();
            var http = sp.GetRequiredService<HttpClient>();
            var time = sp.GetRequiredService<TimeProvider>();
            var channels = new List<INoticeChannel>
            {
                new Hl7Channel(options, time),
                new FhirChannel(options, http, new FhirTokenSource(http, time, sp.GetRequiredService<ILogger<FhirTokenSource>>()), sp.GetRequiredService<ILogger<FhirChannel>>()),
            };
            channels.AddRange(options.CurrentValue.Webhooks.Select(w => new WebhookChannel(w, http)));
            return channels;
        });
        services.AddSingleton<IJobHandler>(sp => new NotifyJobHandler(sp.GetRequiredService<ITriageStore>(), sp.GetRequiredService<IEnumerable<INoticeChannel>>(),
            sp.GetRequiredService<IOptionsMonitor<StorageOptions>>(), sp.GetRequiredService<NoticePipelines>(), sp.GetRequiredService<ILogger<NotifyJobHandler>>()));
        return services;
    }
}
