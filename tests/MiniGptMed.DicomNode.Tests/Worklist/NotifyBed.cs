using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using MiniGptMed.DicomNode.Analysis;
using MiniGptMed.DicomNode.Configuration;
using MiniGptMed.DicomNode.Database;
using MiniGptMed.DicomNode.Jobs;
using MiniGptMed.DicomNode.Tests.Assembly;
using MiniGptMed.DicomNode.Tests.Database;
using MiniGptMed.DicomNode.Worklist;
using MiniGptMed.DicomNode.Worklist.Fhir;
using MiniGptMed.DicomNode.Worklist.Hl7;
using MiniGptMed.DicomNode.Worklist.Notices;
using MiniGptMed.DicomNode.Worklist.Triage;
using MiniGptMed.DicomNode.Worklist.Webhook;

namespace MiniGptMed.DicomNode.Tests.Worklist;

/// <summary>
/// A node's database (SQLite), one analysed study, the worklist recorder and the notify handler with the given
/// channels: what the analyse job does for the worklist, then the notify jobs run as the worker runs them.
/// </summary>
internal sealed class NotifyBed : IAsyncDisposable
{
    public const string Study = "1.2.826.0.1.3680043.10.543.77";

    private NotifyBed(string data, NodeDatabase database, WorklistOptions options)
    {
        Data = data;
        Database = database;
        Options = options;
        var monitor = new StaticMonitor<WorklistOptions>(options);
        var http = new HttpClient();
        var channels = new List<INoticeChannel>
        {
            new Hl7Channel(monitor, TimeProvider.System),
            new FhirChannel(monitor, http, new FhirTokenSource(http, TimeProvider.System, NullLogger.Instance), NullLogger.Instance),
        };
        channels.AddRange(options.Webhooks.Select(w => new WebhookChannel(w, http)));
        Handler = new NotifyJobHandler(database.Triage, channels, new StaticMonitor<StorageOptions>(new StorageOptions { DataDirectory = data }),
            new NoticePipelines(TimeProvider.System, NullLogger.Instance), NullLogger<NotifyJobHandler>.Instance);
        Recorder = new WorklistRecorder(database.Triage, database.Jobs,
            new StaticMonitor<TriageOptions>(new TriageOptions { Rules = [new TriageRuleOptions { Name = "ptx", Priority = "stat", Phrases = ["pneumothorax"] }] }),
            monitor, TimeProvider.System, NullLogger<WorklistRecorder>.Instance);
    }

    public string Data { get; }

    public NodeDatabase Database { get; }

    public WorklistOptions Options { get; }

    public NotifyJobHandler Handler { get; }

    public WorklistRecorder Recorder { get; }

    public static async Task<NotifyBed> StartAsync(WorklistOptions options)
    {
        var data = Directory.CreateTempSubdirectory("minigptmed-notify-").FullName;
        var database = new NodeDatabase(new DatabaseOptions { Provider = "Sqlite" }, data, new JobOptions { MaxAttempts = 3 }, TimeProvider.System,
            NullLoggerFactory.Instance, null);
        await database.StartAsync();
        await database.Catalogue.RecordAsync(TestInstances.Ct(Study, Study + ".1", 1, DateTimeOffset.UtcNow));
        return new NotifyBed(data, database, options);
    }

    /// <summary>What the analyse job (id <paramref name="version"/>) tells the worklist: triage stored, notify jobs queued.</summary>
    public Task AnalysedAsync(long version, params TriageFinding[] findings) =>
        Recorder.AnalysedAsync(new AnalysePayload("NODE", Study, Study), version,
            new GroupAnalysisResult([], "test") { Detected = findings, Narrative = "Right apical pneumothorax.\nNo effusion | see image ^2.", Modality = "CR" },
            CancellationToken.None);

    /// <summary>Claims one notify job and runs it as <see cref="JobWorker"/> does; returns its state after.</summary>
    public async Task<JobState?> RunOneAsync()
    {
        var jobs = await Database.Jobs.ClaimAsync("test", [JobKinds.Notify], 1, TimeSpan.FromMinutes(5));
        var job = Assert.Single(jobs);
        try
        {
            await Handler.HandleAsync(job, CancellationToken.None);
            await Database.Jobs.CompleteAsync(job.Id, "test");
            return JobState.Succeeded;
        }
        catch (Exception ex)
        {
            return await Database.Jobs.FailAsync(job.Id, "test", ex.Message, ex is PermanentJobFailureException);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(Data, recursive: true);
    }
}
