using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniGptMed.DicomNode.Administration;
using MiniGptMed.DicomNode.Analysis;
using MiniGptMed.DicomNode.Assembly;
using MiniGptMed.DicomNode.Audit;
using MiniGptMed.DicomNode.Catalogue;
using MiniGptMed.DicomNode.Database;
using MiniGptMed.DicomNode.Export;
using MiniGptMed.DicomNode.Worklist;
using MiniGptMed.DicomNode.Http;
using MiniGptMed.DicomNode.Jobs;
using MiniGptMed.DicomNode.Reception;
using MiniGptMed.DicomNode.Results;
using MiniGptMed.Inference.Runtime;

namespace MiniGptMed.DicomNode.Configuration;

/// <summary>What the command line says on top of configuration: a value here wins over every configuration source.</summary>
internal sealed record NodeHostSettings
{
    public string? ConfigFile { get; init; }

    public int? Port { get; init; }

    public string? AeTitle { get; init; }

    public string? DataDirectory { get; init; }

    public bool? FlushToDisk { get; init; }

    /// <summary><c>Admin:Url</c> (tests bind port 0, or every interface to see authentication required).</summary>
    public string? AdminUrl { get; init; }

    /// <summary>Extra logging providers (tests capture the log with it).</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }
}

/// <summary>
/// Builds the node's host. Configuration, later sources winning: <c>appsettings.json</c> beside the executable,
/// the <c>--config</c> file, environment variables prefixed <c>MINIGPTMED_</c> (<c>MINIGPTMED_Reception__Port=104</c>),
/// then command-line options. Options are validated at start with messages that name the key.
/// </summary>
internal static class NodeHost
{
    public const string DefaultSettingsFile = "appsettings.json";

    public const string EnvironmentPrefix = "MINIGPTMED_";

    public static IHost Build(NodeHostSettings settings)
    {
        // The empty web builder: no configuration, logging or server by default (each added below, AOT-friendly), and
        // Kestrel for the admin surface (Http/AdminHttp.cs) in the same host as the DICOM stages.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, DefaultSettingsFile), optional: true, reloadOnChange: true);
        if (settings.ConfigFile is { } file)
        {
            // A named file that is missing is a mistake, not a default: fail at start.
            builder.Configuration.AddJsonFile(Path.GetFullPath(file), optional: false, reloadOnChange: true);
        }

        builder.Configuration.AddEnvironmentVariables(EnvironmentPrefix);
        if (settings.AdminUrl is { } adminUrl)
        {
            builder.Configuration.AddInMemoryCollection([new("Admin:Url", adminUrl)]);
        }

        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fff ";
        });
        settings.ConfigureLogging?.Invoke(builder.Logging);
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        // Under systemd (Type=notify): READY=1 once started, STOPPING=1 on SIGTERM, journald-friendly log lines.
        builder.Services.AddSystemd();

        builder.Services.AddOptions<ReceptionOptions>()
            .Bind(builder.Configuration.GetSection(ReceptionOptions.Section))
            .PostConfigure(o =>
            {
                o.Port = settings.Port ?? o.Port;
                if (settings.AeTitle is { } aeTitle)
                {
                    o.ListeningAes = [new ListeningAeOptions { AeTitle = aeTitle, RequireKnownSource = o.ListeningAes.FirstOrDefault()?.RequireKnownSource ?? false }];
                }
            })
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ReceptionOptions>, ReceptionOptionsValidator>();
        builder.Services.AddSingleton<IValidateOptions<ReceptionOptions>, ReceptionTlsOptionsValidator>();
        builder.Services.AddOptions<StorageOptions>()
            .Bind(builder.Configuration.GetSection(StorageOptions.Section))
            .PostConfigure(o =>
            {
                // Empty = the platform's data folder for the user (never the source tree: StorageOptions.DefaultDataDirectory).
                o.DataDirectory = settings.DataDirectory
                    ?? (string.IsNullOrWhiteSpace(o.DataDirectory) ? StorageOptions.DefaultDataDirectory() : o.DataDirectory);
                o.FlushToDisk = settings.FlushToDisk ?? o.FlushToDisk;
            })
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();

        builder.Services.AddOptions<AssemblyOptions>().Bind(builder.Configuration.GetSection(AssemblyOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AssemblyOptions>, AssemblyOptionsValidator>();
        builder.Services.AddOptions<AnalysisRulesOptions>().Bind(builder.Configuration.GetSection(AnalysisRulesOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AnalysisRulesOptions>, AnalysisRulesOptionsValidator>();
        // The catalogue groups each AE's instances as its Assembly:GroupBy says.
        builder.Services.AddSingleton<IStudyGrouping, ConfiguredStudyGrouping>();

        // Before the stages: hosted services start in registration order, and the database migrates in its StartAsync.
        builder.Services.AddNodeDatabase(builder.Configuration);
        // After the database, before the stages: listening AEs, sources, destinations and rules come from the database
        // (seeded from this configuration on the first start only) and apply to the next association (docs/administration.md).
        builder.Services.AddNodeAdministration(builder.Configuration, keepListeningAes: settings.AeTitle is not null);

        builder.Services.AddOptions<AuditOptions>().Bind(builder.Configuration.GetSection(AuditOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AuditOptions>, AuditOptionsValidator>();
        // Before Reception: hosted services start in this order and stop in the reverse, so the audit trail records
        // the node's start and stop and the transfers of the last associations.
        builder.Services.AddSingleton<AuditTrail>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AuditTrail>());

        builder.Services.AddSingleton<AccessRulesProvider>();
        builder.Services.AddReception();

        // The pipeline's stages hand work on through the database only (docs/pipeline.md).
        builder.Services.AddHostedService<AssemblyService>();
        builder.Services.AddOptions<ExportOptions>().Bind(builder.Configuration.GetSection(ExportOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ExportOptions>, ExportOptionsValidator>();
        builder.Services.AddSingleton<IStoreClientFactory, DicomStoreClientFactory>();
        builder.Services.AddSingleton<IJobHandler>(sp => new ExportJobHandler(
            sp.GetRequiredService<IOptionsMonitor<ExportOptions>>(), sp.GetRequiredService<IOptionsMonitor<StorageOptions>>(),
            sp.GetRequiredService<IStoreClientFactory>(), sp.GetRequiredService<AuditTrail>().Record,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ExportJobHandler>>()));
        builder.Services.AddSingleton<IGroupAnalyser>(sp =>
        {
            var configuration = sp.GetRequiredService<IConfiguration>();
            var results = new ResultsOptions();
            configuration.GetSection(ResultsOptions.Section).Bind(results);
            var inference = new InferenceOptions();
            configuration.GetSection("Inference").Bind(inference);
            return new ModelGroupAnalyser(BundledModel.DefaultDirectory(), inference, results, sp.GetRequiredService<IOptionsMonitor<StorageOptions>>(),
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ModelGroupAnalyser>>());
        });
        builder.Services.AddSingleton<IJobHandler>(sp => new AnalyseJobHandler(
            sp.GetRequiredService<ICatalogue>(), sp.GetRequiredService<IJobQueue>(), sp.GetRequiredService<IGroupAnalyser>(),
            sp.GetRequiredService<IOptionsMonitor<AnalysisRulesOptions>>(), sp.GetRequiredService<IOptionsMonitor<ExportOptions>>(),
            sp.GetRequiredService<IOptionsMonitor<StorageOptions>>(), sp.GetRequiredService<ILogger<AnalyseJobHandler>>(),
            sp.GetRequiredService<Worklist.WorklistRecorder>()));
        builder.Services.AddWorklist(builder.Configuration);
        builder.Services.AddJobWorkers();
        // Last: Kestrel starts after the stages (the database has migrated when the first request comes).
        builder.AddAdminHttp();
        return builder.Build().MapAdminHttp();
    }

    /// <summary>Binds and validates every options class; throws <see cref="OptionsValidationException"/> naming the keys.</summary>
    public static void ValidateConfiguration(IServiceProvider services)
    {
        var failures = new List<string>();
        // Through the monitor, whose cache ValidateOnStart, the access rules and ReceptionService share: bound once.
        Check(failures, () => services.GetRequiredService<IOptionsMonitor<ReceptionOptions>>().CurrentValue);
        Check(failures, () => services.GetRequiredService<IOptionsMonitor<StorageOptions>>().CurrentValue);
        Check(failures, () => services.GetRequiredService<IOptionsMonitor<AuditOptions>>().CurrentValue);
        Check(failures, () => services.GetRequiredService<IOptionsMonitor<DatabaseOptions>>().CurrentValue);
        Check(failures, () => services.GetRequiredService<IOptionsMonitor<JobOptions>>().CurrentValue);
        Check(failures, () => services.GetRequiredService<IOptionsMonitor<AssemblyOptions>>().CurrentValue);
        Check(failures, () => services.GetRequiredService<IOptionsMonitor<AnalysisRulesOptions>>().CurrentValue);
        Check(failures, () => services.GetRequiredService<IOptionsMonitor<ExportOptions>>().CurrentValue);
        Check(failures, () => services.GetRequiredService<IOptionsMonitor<Worklist.Triage.TriageOptions>>().CurrentValue);
        Check(failures, () => services.GetRequiredService<IOptionsMonitor<Worklist.Notices.WorklistOptions>>().CurrentValue);
        Check(failures, () => services.GetRequiredService<IOptionsMonitor<Http.AdminOptions>>().CurrentValue);
        Check(failures, () => services.GetRequiredService<IOptionsMonitor<AdministrationOptions>>().CurrentValue);
        if (failures.Count > 0)
        {
            throw new OptionsValidationException("configuration", typeof(NodeHost), failures);
        }
    }

    private static void Check(List<string> failures, Func<object> bindAndValidate)
    {
        try
        {
            _ = bindAndValidate();
        }
        catch (OptionsValidationException ex)
        {
            failures.AddRange(ex.Failures);
        }
    }
}
