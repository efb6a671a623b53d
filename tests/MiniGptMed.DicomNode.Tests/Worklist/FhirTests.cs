using System.Text.Json;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Logging.Abstractions;
using MiniGptMed.DicomNode.Jobs;
using MiniGptMed.DicomNode.Tests.Assembly;
using MiniGptMed.DicomNode.Worklist.Fhir;
using MiniGptMed.DicomNode.Worklist.Notices;
using MiniGptMed.DicomNode.Worklist.Triage;
using FhirTask = Hl7.Fhir.Model.Task;
using Task = System.Threading.Tasks.Task;

// Firely's model marks every element nullable; here the assertions themselves are the null checks.
#nullable disable warnings

namespace MiniGptMed.DicomNode.Tests.Worklist;

/// <summary>
/// The FHIR channel against <see cref="FhirServer"/>: a Kestrel endpoint that validates every Bundle with
/// Firely.Fhir.Validation.R4 (R4 base profiles) and answers as a FHIR server does (no FHIR server is packaged here).
/// </summary>
public sealed class FhirTests
{
    private const string Study = "1.2.826.0.1.3680043.10.543.4242";

    private static readonly Notice Full = new()
    {
        CalledAe = "NODE",
        GroupUid = Study,
        StudyInstanceUid = Study,
        Version = 57,
        AccessionNumber = "A2026-0042",
        PatientId = "P123456",
        IssuerOfPatientId = "1.2.826.0.1.3680043.10.543.1",
        PatientName = "Doe^Jane",
        PatientBirthDate = "19700102",
        PatientSex = "F",
        Modality = "DX",
        Priority = TriagePriority.Stat,
        Summary = "STAT: pneumothorax 91% (rule pneumothorax-stat)",
        Narrative = "There is a right apical pneumothorax.\nThe heart size is normal | see image ^2 & \"quotes\" \\ 肺.",
        Findings =
        [
            new TriageFinding("pneumothorax", "36118008", "SCT", "Pneumothorax", 0.9134, 1, [new FindingRegion("1.2.3.4.5", 1, 10.5, 20, 110, 140.5)]),
            new TriageFinding("odd thing", "ODD", "99MINIGPTMED", "Odd thing", null, 2),
        ],
        AnalysedAt = new DateTimeOffset(2026, 3, 2, 8, 15, 30, TimeSpan.Zero),
        ReportUid = "2.25.1234",
    };

    public static TheoryData<string> Notices => ["full", "no-patient", "issuer-name", "issuer-uri", "no-finding"];

    private static Notice Variant(string name) => name switch
    {
        "no-patient" => Full with { PatientId = null, IssuerOfPatientId = null, AccessionNumber = null, Priority = TriagePriority.Urgent },
        "issuer-name" => Full with { IssuerOfPatientId = "ST-MARY", Priority = TriagePriority.Routine },
        "issuer-uri" => Full with { IssuerOfPatientId = "https://hospital.example.org/mrn" },
        "no-finding" => Full with { Findings = [], Narrative = null, Summary = "ROUTINE: no finding", Priority = TriagePriority.Routine },
        _ => Full,
    };

    private static string Json(Notice notice) =>
        System.Text.Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(FhirBundleWriter.Write(notice), FhirJsonContext.Default.FhirBundle));

    [Theory]
    [MemberData(nameof(Notices))]
    public void Bundle_ValidatesAgainstTheR4BaseProfiles_WithNoError(string variant)
    {
        var errors = FhirServer.Errors(Json(Variant(variant)), out var resource);
        Assert.True(errors.Count == 0, string.Join('\n', errors));
        Assert.IsType<Bundle>(resource);
    }

    [Fact]
    public void Bundle_HasTheReportTheObservationsAndTheTask_AsFirelyReadsThem()
    {
        FhirServer.Errors(Json(Full), out var resource);
        var bundle = Assert.IsType<Bundle>(resource);
        Assert.Equal(Bundle.BundleType.Transaction, bundle.Type);
        Assert.Equal(["DiagnosticReport", "Observation", "Observation", "Task"], bundle.Entry.Select(e => e.Resource.TypeName));

        // Every entry is a conditional create on its own identifier, its fullUrl the same urn:uuid.
        foreach (var entry in bundle.Entry)
        {
            Assert.Equal(Bundle.HTTPVerb.POST, entry.Request.Method);
            Assert.Equal(entry.Resource.TypeName, entry.Request.Url);
            var identifier = Assert.Single(entry.Resource switch
            {
                DiagnosticReport r => r.Identifier,
                Observation o => o.Identifier,
                FhirTask t => t.Identifier,
                _ => [],
            });
            Assert.Equal(entry.FullUrl, identifier.Value);
            Assert.Equal($"identifier={Uri.EscapeDataString(FhirBundleWriter.UriSystem)}|{Uri.EscapeDataString(identifier.Value)}", entry.Request.IfNoneExist);
        }

        var report = (DiagnosticReport)bundle.Entry[0].Resource;
        Assert.Equal(FhirBundleWriter.ReportId(Full), report.Identifier.Single().Value);
        Assert.Equal("urn:uuid:" + NoticeIds.DeliveryId(Study, 57, "fhir"), report.Identifier.Single().Value);
        Assert.Equal(DiagnosticReport.DiagnosticReportStatus.Preliminary, report.Status);
        var category = report.Category.Single().Coding;
        Assert.Contains(category, c => c.System == "http://loinc.org" && c.Code == "LP29684-5");
        Assert.Contains(category, c => c.System == "http://terminology.hl7.org/CodeSystem/v2-0074" && c.Code == "RAD");
        Assert.Equal("P123456", report.Subject.Identifier.Value);
        Assert.Equal("urn:oid:1.2.826.0.1.3680043.10.543.1", report.Subject.Identifier.System);
        Assert.Equal("urn:dicom:uid", report.ImagingStudy.Single().Identifier.System);
        Assert.Equal("urn:oid:" + Study, report.ImagingStudy.Single().Identifier.Value);
        Assert.Equal("A2026-0042", report.BasedOn.Single().Identifier.Value);
        Assert.Equal(Full.Narrative, report.Conclusion);
        Assert.Equal([bundle.Entry[1].FullUrl, bundle.Entry[2].FullUrl], report.Result.Select(r => r.Reference));

        var pneumothorax = (Observation)bundle.Entry[1].Resource;
        Assert.Equal(ObservationStatus.Preliminary, pneumothorax.Status);
        var value = Assert.IsType<CodeableConcept>(pneumothorax.Value);
        Assert.Equal(("http://snomed.info/sct", "36118008"), (value.Coding[0].System, value.Coding[0].Code));
        Assert.Equal("pneumothorax", value.Text);
        Assert.Equal("urn:oid:" + Study, pneumothorax.DerivedFrom.Single().Identifier.Value);
        var certainty = pneumothorax.Component.Single(c => c.Code.Coding[0].Code == "111012");
        var quantity = Assert.IsType<Quantity>(certainty.Value);
        Assert.Equal(91.34m, quantity.Value);
        Assert.Equal("%", quantity.Code);
        var region = pneumothorax.Component.Single(c => c.Code.Coding[0].Code == "111030");
        Assert.Equal("RECTANGLE 10.5,20 110,140.5 (column,row in pixels) on SOP Instance 1.2.3.4.5 frame 1", ((FhirString)region.Value).Value);
        var odd = (Observation)bundle.Entry[2].Resource;
        Assert.Null(odd.Component.FirstOrDefault());
        Assert.Contains("2 image region(s)", odd.Note.Single().Text);

        var task = (FhirTask)bundle.Entry[3].Resource;
        Assert.Equal(FhirTask.TaskStatus.Requested, task.Status);
        Assert.Equal(FhirTask.TaskIntent.Order, task.Intent);
        Assert.Equal(RequestPriority.Stat, task.Priority);
        Assert.Equal(bundle.Entry[0].FullUrl, task.Focus.Reference);
        Assert.Equal(Full.Summary, task.Description);
        Assert.Equal("P123456", task.For.Identifier.Value);

        // No patient name in the Bundle: the identifier finds the patient.
        Assert.DoesNotContain("Doe", Json(Full), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TriagePriority.Stat, "stat")]
    [InlineData(TriagePriority.Urgent, "urgent")]
    [InlineData(TriagePriority.Failed, "asap")]
    [InlineData(TriagePriority.Routine, "routine")]
    public void TaskPriority_IsTheTriagesAsFhirRequestPriority(TriagePriority triage, string fhir) => Assert.Equal(fhir, FhirBundleWriter.Priority(triage));

    [Fact]
    public async Task NotifyJob_RunTwice_CreatesEachResourceOnce_ConditionalCreateAnswers200()
    {
        await using var server = await FhirServer.StartAsync();
        await using var bed = await NotifyBed.StartAsync(Options(server));
        await bed.AnalysedAsync(61, new TriageFinding("pneumothorax", "36118008", "SCT", "Pneumothorax", 0.9, 1));
        var job = Assert.Single(await bed.Database.Jobs.ClaimAsync("test", [JobKinds.Notify], 1, TimeSpan.FromMinutes(5)));

        // The worker died after sending and before recording success: the job runs again and sends the same Bundle.
        await bed.Handler.HandleAsync(job, CancellationToken.None);
        await bed.Handler.HandleAsync(job, CancellationToken.None);

        Assert.Empty(server.Invalid);
        Assert.Equal([200, 200], server.Requests.Select(r => r.Status));
        var report = Assert.Single(server.All<DiagnosticReport>());
        Assert.Single(server.All<Observation>());
        var task = Assert.Single(server.All<FhirTask>());
        Assert.Equal("DiagnosticReport/" + report.Id, task.Focus.Reference);
        Assert.Equal(RequestPriority.Stat, task.Priority);
    }

    [Fact]
    public async Task Answers503_AreRetriedByThePipeline_AndTheReportIsCreatedOnce()
    {
        await using var server = await FhirServer.StartAsync();
        server.Fail(503, 429, 503);
        await using var bed = await NotifyBed.StartAsync(Options(server));
        await bed.AnalysedAsync(62, new TriageFinding("pneumothorax", "36118008", "SCT", "Pneumothorax", 0.9, 1));

        Assert.Equal(JobState.Succeeded, await bed.RunOneAsync());

        Assert.Equal([503, 429, 503, 200], server.Requests.Select(r => r.Status));
        Assert.Single(server.Requests.Select(r => r.BundleIdentifier).Distinct());
        Assert.Single(server.All<DiagnosticReport>());
        Assert.Empty(server.Invalid);
    }

    [Fact]
    public async Task A400_IsDeadLettered_WithTheOperationOutcomeText_AndJobsRetryDeliversIt()
    {
        await using var server = await FhirServer.StartAsync();
        server.Fail(400);
        await using var bed = await NotifyBed.StartAsync(Options(server));
        await bed.AnalysedAsync(63);

        Assert.Equal(JobState.DeadLetter, await bed.RunOneAsync());
        Assert.Equal([400], server.Requests.Select(r => r.Status));
        var job = Assert.Single(await bed.Database.Jobs.ListAsync(new JobQuery { Kinds = [JobKinds.Notify] }));
        Assert.Contains(FhirServer.ScriptedRefusal, job.Errors.Single().Message, StringComparison.Ordinal);
        Assert.Contains("400", job.Errors.Single().Message, StringComparison.Ordinal);
        Assert.Empty(server.All<DiagnosticReport>());

        Assert.True(await bed.Database.Jobs.RetryAsync(job.Id)); // what `minigptmed jobs retry <id>` does
        Assert.Equal(JobState.Succeeded, await bed.RunOneAsync());
        Assert.Single(server.All<DiagnosticReport>());
        Assert.Single(server.All<FhirTask>());
        Assert.Empty(server.Invalid);
    }

    [Theory]
    [InlineData(408, true)]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(503, true)]
    [InlineData(404, false)]
    [InlineData(409, false)]
    [InlineData(422, false)]
    public async Task Status_IsRetriedOrRefusedForGood(int status, bool retried)
    {
        await using var server = await FhirServer.StartAsync();
        server.Fail(status);
        var channel = Channel(new FhirOptions { BaseUrl = server.BaseUrl }, TimeProvider.System, out _);

        var thrown = await Assert.ThrowsAnyAsync<Exception>(() => channel.SendAsync(Full, CancellationToken.None));

        Assert.IsType(retried ? typeof(NoticeRetryException) : typeof(PermanentJobFailureException), thrown);
        Assert.Contains($"answered {status}", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OAuth_OneTokenServesManyNotices_UntilItExpires_AndAWrongSecretIsRefusedForGood()
    {
        await using var server = await FhirServer.StartAsync(new FhirServer.OAuthClient("node-1", "s3cret:&=", ExpiresInSeconds: 600));
        var time = new ManualTime(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));
        var options = new FhirOptions
        {
            BaseUrl = server.BaseUrl,
            OAuth = new FhirOAuthOptions { TokenUrl = server.TokenUrl, ClientId = "node-1", ClientSecret = "s3cret:&=", Scope = "system/*.c" },
        };
        var channel = Channel(options, time, out var tokens);

        await channel.SendAsync(Full, CancellationToken.None);
        await channel.SendAsync(Full with { Version = 58 }, CancellationToken.None);
        Assert.Equal(1, server.TokensIssued);

        // 600 s of life, renewed a minute early.
        time.Advance(TimeSpan.FromSeconds(541));
        await channel.SendAsync(Full with { Version = 59 }, CancellationToken.None);
        Assert.Equal(2, server.TokensIssued);
        Assert.Equal(2, tokens.Fetched);
        Assert.Equal(3, server.All<DiagnosticReport>().Count);
        Assert.All(server.Requests, r => Assert.Equal(200, r.Status));

        var wrong = Channel(options, time, out _, secret: "wrong");
        var refused = await Assert.ThrowsAsync<PermanentJobFailureException>(() => wrong.SendAsync(Full, CancellationToken.None));
        Assert.Contains("invalid_client", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAToken_TheServerAnswers401_AndTheNoticeIsRefused()
    {
        await using var server = await FhirServer.StartAsync(new FhirServer.OAuthClient("node-1", "secret"));
        var channel = Channel(new FhirOptions { BaseUrl = server.BaseUrl, BearerToken = "not-a-token-it-issued" }, TimeProvider.System, out _);
        var refused = await Assert.ThrowsAsync<PermanentJobFailureException>(() => channel.SendAsync(Full, CancellationToken.None));
        Assert.Contains("401", refused.Message, StringComparison.Ordinal);
        Assert.Contains("No valid bearer token", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validator_NamesTheKeyOfEachBadValue()
    {
        var result = new WorklistOptionsValidator().Validate(null, new WorklistOptions
        {
            Fhir = new FhirOptions { BaseUrl = "ftp://x", BearerToken = "a b", OAuth = new FhirOAuthOptions { TokenUrl = "https://t.example/token" } },
        });
        Assert.True(result.Failed);
        Assert.Contains("Worklist:Fhir:BaseUrl 'ftp://x' is not an http(s) URL", result.Failures!);
        Assert.Contains("Worklist:Fhir: give BearerToken or OAuth, not both", result.Failures!);
        Assert.Contains(result.Failures!, f => f.StartsWith("Worklist:Fhir:OAuth:ClientId and ClientSecret are required", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("Worklist:Fhir:BearerToken has a space", StringComparison.Ordinal));
        Assert.Equal(["fhir"], new WorklistOptions { Fhir = new FhirOptions { BaseUrl = "https://fhir.example/r4" } }.Channels());
    }

    internal static WorklistOptions Options(FhirServer server) => new()
    {
        Fhir = new FhirOptions { BaseUrl = server.BaseUrl, Retries = 3, RetryDelayMilliseconds = 10 },
    };

    private static FhirChannel Channel(FhirOptions options, TimeProvider time, out FhirTokenSource tokens, string? secret = null)
    {
        if (secret is not null)
        {
            options = new FhirOptions
            {
                BaseUrl = options.BaseUrl,
                OAuth = new FhirOAuthOptions { TokenUrl = options.OAuth.TokenUrl, ClientId = options.OAuth.ClientId, ClientSecret = secret },
            };
        }

        var http = new HttpClient();
        tokens = new FhirTokenSource(http, time, NullLogger.Instance);
        return new FhirChannel(new StaticMonitor<WorklistOptions>(new WorklistOptions { Fhir = options }), http, tokens, NullLogger.Instance);
    }

    /// <summary>A clock the test moves.</summary>
    private sealed class ManualTime(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
