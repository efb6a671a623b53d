using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniGptMed.DicomNode.Catalogue;
using MiniGptMed.DicomNode.Configuration;
using MiniGptMed.DicomNode.Jobs;

namespace MiniGptMed.DicomNode.Database;

/// <summary>Starts the database before the stages (hosted services start in registration order) and closes it after them.</summary>
internal sealed class DatabaseHostedService(NodeDatabase database) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => database.StartAsync(cancellationToken);

    // Registered before the stages, so stopped after them: the writer's queued rows commit, then it closes.
    public async Task StopAsync(CancellationToken cancellationToken) => await database.DisposeAsync().ConfigureAwait(false);
}

/// <summary>Dependency-injection wiring of the database, the catalogue and the job queue.</summary>
public static class DatabaseServices
{
    /// <summary>
    /// Binds and validates <c>Database</c> and <c>Jobs</c>, and registers <see cref="NodeDatabase"/> (started by a
    /// hosted service: register this before the stages that use it), <see cref="ICatalogue"/>,
    /// <see cref="IJobQueue"/> and <see cref="IJobSignal"/>. Workers are added apart (<see cref="AddJobWorkers"/>).
    /// </summary>
    public static IServiceCollection AddNodeDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();
        services.AddOptions<JobOptions>().Bind(configuration.GetSection(JobOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<JobOptions>, JobOptionsValidator>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new NodeDatabase(
            sp.GetRequiredService<IOptionsMonitor<DatabaseOptions>>().CurrentValue,
            sp.GetRequiredService<IOptionsMonitor<StorageOptions>>().CurrentValue.DataDirectory,
            sp.GetRequiredService<IOptionsMonitor<JobOptions>>().CurrentValue,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetService<IStudyGrouping>()));
        services.AddSingleton(sp => sp.GetRequiredService<NodeDatabase>().Catalogue);
        services.AddSingleton(sp => sp.GetRequiredService<NodeDatabase>().Jobs);
        services.AddSingleton(sp => sp.GetRequiredService<NodeDatabase>().Signal);
        services.AddSingleton(sp => sp.GetRequiredService<NodeDatabase>().Triage);
        services.AddHostedService<DatabaseHostedService>();
        return services;
    }

    /// <summary>The worker (for the kinds of the registered <see cref="IJobHandler"/>s) and the rescuer/pruner.</summary>
    public static IServiceCollection AddJobWorkers(this IServiceCollection services)
    {
        services.AddSingleton(sp => sp.GetRequiredService<IOptionsMonitor<JobOptions>>().CurrentValue);
        services.AddHostedService(sp => new JobWorker(
            sp.GetRequiredService<IJobQueue>(), sp.GetRequiredService<IJobSignal>(), sp.GetServices<IJobHandler>(),
            sp.GetRequiredService<JobOptions>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<JobWorker>>()));
        services.AddHostedService<JobMaintenanceService>();
        return services;
    }
}
