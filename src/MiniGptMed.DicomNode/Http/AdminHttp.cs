using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using MiniGptMed.DicomNode.Analysis;
using MiniGptMed.DicomNode.Export;
using MiniGptMed.DicomNode.Http.Api;
using MiniGptMed.DicomNode.Http.Health;
using MiniGptMed.DicomNode.Http.Pages;
using MiniGptMed.DicomNode.Http.Security;
using MiniGptMed.DicomNode.Jobs;
using MiniGptMed.DicomNode.Reception;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace MiniGptMed.DicomNode.Http;

/// <summary>
/// The admin HTTP surface in the node's own host (docs/http.md): Kestrel on <c>Admin:Url</c>, the REST API under
/// <c>/api</c> with its OpenAPI document, the web console, <c>/health/*</c> and Prometheus <c>/metrics</c>.
/// Minimal APIs compiled by the Request Delegate Generator and source-generated JSON: no reflection (Native AOT).
/// </summary>
internal static class AdminHttp
{
    public static WebApplicationBuilder AddAdminHttp(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AdminOptions>().Bind(builder.Configuration.GetSection(AdminOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AdminOptions>, AdminOptionsValidator>();

        if (string.IsNullOrWhiteSpace(builder.Configuration.GetSection(AdminOptions.Section)[nameof(AdminOptions.Url)] ?? AdminOptions.DefaultUrl))
        {
            // Admin:Url empty: no HTTP at all; the host still needs a server to start.
            services.AddSingleton<IServer, NoServer>();
        }
        else
        {
            builder.WebHost.UseKestrelCore();
            services.AddOptions<KestrelServerOptions>().Configure<IOptions<AdminOptions>>((kestrel, admin) =>
            {
                kestrel.AddServerHeader = false;
                if (AdminOptions.TryParseUrl(admin.Value.Url, out var endPoint, out var https))
                {
                    kestrel.Listen(endPoint, listen =>
                    {
                        if (https)
                        {
                            listen.UseHttps(X509Certificate2.CreateFromPemFile(admin.Value.CertificateFile!, admin.Value.KeyFile));
                        }
                    });
                }
            });
        }

        services.AddRoutingCore();
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, HttpJsonContext.Default);
            // The configuration items as the CLI's --json and the database hold them (enums as text).
            o.SerializerOptions.TypeInfoResolverChain.Insert(1, Administration.AdministrationJsonContext.Default);
        });
        services.AddSingleton<DestinationEchoer>();
        services.AddAdminSecurity();
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "MiniGPT-Med DICOM node admin API";
            document.Info.Description = "Studies, jobs, associations and the node's configuration. Authenticate with `Authorization: Bearer mgm_...` (minigptmed user key NAME).";
            return Task.CompletedTask;
        }));

        // The key ring sits in the data folder with the database (docs/http.md), protected by the same file permissions;
        // DataProtection's warning that it is not encrypted at rest would repeat at every start.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        services.AddOpenTelemetry().ConfigureResource(r => r.AddService("minigptmed")).WithMetrics(metrics => metrics
            .AddMeter(ReceptionMetrics.MeterName, JobMetrics.MeterName, AnalysisMetrics.MeterName, ExportMetrics.MeterName)
            .AddPrometheusExporter());
        services.AddHostedService(sp => new JobStateSampler(sp.GetRequiredService<IJobQueue>(),
            TimeSpan.FromSeconds(sp.GetRequiredService<IOptionsMonitor<AdminOptions>>().CurrentValue.MetricsSampleSeconds),
            sp.GetRequiredService<ILogger<JobStateSampler>>()));
        services.AddSingleton<AdminEndpoint>();
        services.AddHostedService(sp => sp.GetRequiredService<AdminEndpoint>());
        return builder;
    }

    public static WebApplication MapAdminHttp(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapHealth();
        app.MapOpenApi();
        app.MapPrometheusScrapingEndpoint().WithTags("Metrics");

        var api = app.MapGroup("/api").AddEndpointFilter(CookieCallsNeedAntiforgeryAsync);
        api.MapStudiesApi().MapJobsApi().MapAssociationsApi().MapConfigApi().MapWorklistApi();
        app.MapConsole().MapConfigPages();
        return app;
    }

    /// <summary>
    /// A change made through the API with the console's cookie (a script in the page) must carry the antiforgery token
    /// in <c>X-CSRF-TOKEN</c>; bearer keys are not sent by browsers on their own, so they need none.
    /// </summary>
    private static async ValueTask<object?> CookieCallsNeedAntiforgeryAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method)
            && http.User.Identity?.AuthenticationType == AdminAuthentication.CookieScheme
            && !await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http).ConfigureAwait(false))
        {
            return Problems.BadRequest(AdminAuthentication.AntiforgeryHeader, "a change made with the console's session needs its antiforgery token.");
        }

        return await next(context).ConfigureAwait(false);
    }

    /// <summary>The server when <c>Admin:Url</c> is empty: nothing listens.</summary>
    private sealed class NoServer : IServer
    {
        public IFeatureCollection Features { get; } = new FeatureCollection();

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
        }
    }
}

/// <summary>Where the admin surface listens once started (the OS's port when <c>Admin:Url</c> says 0), logged once.</summary>
internal sealed class AdminEndpoint(IServer server, IHostApplicationLifetime lifetime, IOptionsMonitor<AdminOptions> options, ILogger<AdminEndpoint> logger) : IHostedService
{
    /// <summary>The bound address, e.g. <c>http://127.0.0.1:8080</c>; null before the server started or when HTTP is off.</summary>
    public string? Url => server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            if (Url is { } url)
            {
                var admin = options.CurrentValue;
                HttpLog.Listening(logger, url, admin.AuthenticationRequired ? "required" : "off (loopback)");
                if (admin.AuthenticationRequired && admin.Authentication == AdminAuthenticationMode.Auto)
                {
                    HttpLog.AuthenticationRequired(logger, url);
                }
            }
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
