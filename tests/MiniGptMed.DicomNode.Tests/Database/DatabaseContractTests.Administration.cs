using System.Text.Json;
using MiniGptMed.DicomNode.Administration;
using MiniGptMed.DicomNode.Export;
using MiniGptMed.DicomNode.Jobs;

namespace MiniGptMed.DicomNode.Tests.Database;

/// <summary>The administrable configuration (migration 0003): validated, audited, refused while in use — on each engine.</summary>
public abstract partial class DatabaseContractTests
{
    private static readonly Destination Pacs = new() { Name = "pacs", AeTitle = "PACS", Host = "pacs.example.org", Port = 104 };

    [Fact]
    public async Task AdminAdd_StoresTheItem_AuditsWhoAndAfter_AndBumpsTheVersion()
    {
        var database = await OpenAsync();
        var admin = database.Administration;
        var before = await admin.VersionAsync();

        var outcome = await admin.Aes.AddAsync(new ListeningAe { AeTitle = " CHEST ", StableSeconds = 5, RequireKnownSource = true }, "alice");

        Assert.Equal(ChangeStatus.Done, outcome.Status);
        var stored = await admin.Aes.GetAsync("CHEST");
        Assert.NotNull(stored);
        Assert.Equal(5, stored.StableSeconds);
        Assert.True(stored.RequireKnownSource);
        Assert.Equal(before + 1, await admin.VersionAsync());
        var change = Assert.Single(await admin.ChangesAsync(10));
        Assert.Equal(("alice", ConfigKind.Ae, "CHEST", ConfigActions.Add, before + 1), (change.Actor, change.Kind, change.Name, change.Action, change.Version));
        Assert.Null(change.Before);
        Assert.Equal("CHEST", JsonDocument.Parse(change.After!).RootElement.GetProperty("aeTitle").GetString());
        Assert.Equal(Clock.Now, change.At);
    }

    [Fact]
    public async Task AdminUpdateAndRemove_AuditBeforeAndAfter()
    {
        var admin = (await OpenAsync()).Administration;
        await admin.Destinations.AddAsync(Pacs, "alice");

        var updated = await admin.Destinations.UpdateAsync("pacs", Pacs with { Port = 11112 }, "bob");
        var removed = await admin.Destinations.RemoveAsync("pacs", "carol", force: false);

        Assert.True(updated.Succeeded);
        Assert.True(removed.Succeeded);
        Assert.Null(await admin.Destinations.GetAsync("pacs"));
        var changes = await admin.ChangesAsync(10, ConfigKind.Destination, "pacs");
        Assert.Equal(["remove", "update", "add"], changes.Select(c => c.Action));
        Assert.Equal(["carol", "bob", "alice"], changes.Select(c => c.Actor));
        Assert.Equal(104, JsonDocument.Parse(changes[1].Before!).RootElement.GetProperty("port").GetInt32());
        Assert.Equal(11112, JsonDocument.Parse(changes[1].After!).RootElement.GetProperty("port").GetInt32());
        Assert.Equal(11112, JsonDocument.Parse(changes[0].Before!).RootElement.GetProperty("port").GetInt32());
        Assert.Null(changes[0].After);
    }

    [Theory]
    [InlineData("ABCDEFGHIJKLMNOPQ", "at most 16")]
    [InlineData("BAD\\AE", "backslash")]
    [InlineData("", "is empty")]
    [InlineData("    ", "is empty")]
    [InlineData("TAB\tAE", "control")]
    public async Task AdminAdd_WithABadAeTitle_NamesTheField_AndWritesNothing(string title, string says)
    {
        var admin = (await OpenAsync()).Administration;

        var outcome = await admin.Aes.AddAsync(new ListeningAe { AeTitle = title }, "alice");

        Assert.Equal(ChangeStatus.Invalid, outcome.Status);
        var error = Assert.Single(outcome.Errors);
        Assert.Equal("aeTitle", error.Field);
        Assert.Contains(says, error.Message, StringComparison.Ordinal);
        await AssertNothingWrittenAsync(admin);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(70000)]
    public async Task AdminAdd_WithAPortOutOfRange_NamesThePort_AndWritesNothing(int port)
    {
        var admin = (await OpenAsync()).Administration;

        var outcome = await admin.Destinations.AddAsync(Pacs with { Port = port }, "alice");

        Assert.Equal(ChangeStatus.Invalid, outcome.Status);
        Assert.Equal("port", Assert.Single(outcome.Errors).Field);
        Assert.Contains("1..65535", outcome.Errors[0].Message, StringComparison.Ordinal);
        await AssertNothingWrittenAsync(admin);
    }

    [Theory]
    [InlineData("10.1.0.0/33")]
    [InlineData("10.1.2.3/16")]
    [InlineData("modality.example.org")]
    public async Task AdminAdd_WithACidrThatDoesNotParse_NamesTheAddress_AndWritesNothing(string address)
    {
        var admin = (await OpenAsync()).Administration;

        var outcome = await admin.Sources.AddAsync(new Source { Name = "ct1", AeTitle = "CT1", Addresses = ["10.0.0.1", address] }, "alice");

        Assert.Equal(ChangeStatus.Invalid, outcome.Status);
        Assert.Equal("addresses[1]", Assert.Single(outcome.Errors).Field);
        await AssertNothingWrittenAsync(admin);
    }

    [Fact]
    public async Task AdminAdd_WithADuplicateName_NamesTheField_AndKeepsTheFirst()
    {
        var admin = (await OpenAsync()).Administration;
        await admin.Destinations.AddAsync(Pacs, "alice");
        var version = await admin.VersionAsync();

        var outcome = await admin.Destinations.AddAsync(Pacs with { Host = "other.example.org" }, "bob");

        Assert.Equal(ChangeStatus.Invalid, outcome.Status);
        Assert.Equal("name", Assert.Single(outcome.Errors).Field);
        Assert.Contains("already", outcome.Errors[0].Message, StringComparison.Ordinal);
        Assert.Equal("pacs.example.org", (await admin.Destinations.GetAsync("pacs"))!.Host);
        Assert.Equal(version, await admin.VersionAsync());
        Assert.Single(await admin.ChangesAsync(10));
    }

    [Fact]
    public async Task AdminAdd_OfAnAeNamingAnUnknownDestination_IsRefused()
    {
        var admin = (await OpenAsync()).Administration;

        var outcome = await admin.Aes.AddAsync(new ListeningAe { AeTitle = "CHEST", Destinations = ["nowhere"] }, "alice");

        Assert.Equal("destinations[0]", Assert.Single(outcome.Errors).Field);
        await AssertNothingWrittenAsync(admin);
    }

    [Fact]
    public async Task AdminRemove_OfAnAeARuleNames_IsRefusedWithoutForce_AndDoneWithIt()
    {
        var admin = (await OpenAsync()).Administration;
        await admin.Aes.AddAsync(new ListeningAe { AeTitle = "CHEST" }, "alice");
        await admin.Rules.AddAsync(new AnalysisRule { Name = "cxr", CalledAes = ["CHEST"], Tasks = [new RuleTask("report")] }, "alice");

        var refused = await admin.Aes.RemoveAsync("CHEST", "bob", force: false);
        var forced = await admin.Aes.RemoveAsync("CHEST", "bob", force: true);

        Assert.Equal(ChangeStatus.InUse, refused.Status);
        Assert.Contains("rule 'cxr'", Assert.Single(refused.Errors).Message, StringComparison.Ordinal);
        Assert.Equal(ChangeStatus.Done, forced.Status);
        Assert.Empty(await admin.Aes.ListAsync());
    }

    [Fact]
    public async Task AdminRemove_OfAnAeWithAStudyStillReceiving_IsRefusedWithoutForce()
    {
        var database = await OpenAsync();
        await database.Administration.Aes.AddAsync(new ListeningAe { AeTitle = "NODE" }, "alice");
        await database.Catalogue.RecordAsync(TestInstances.Ct("1.2.3", "1.2.3.1", 1, Clock.Now, calledAe: "NODE"));

        var refused = await database.Administration.Aes.RemoveAsync("NODE", "bob", force: false);

        Assert.Equal(ChangeStatus.InUse, refused.Status);
        Assert.Contains("being received or analysed", Assert.Single(refused.Errors).Message, StringComparison.Ordinal);
        Assert.NotNull(await database.Administration.Aes.GetAsync("NODE"));
    }

    [Fact]
    public async Task AdminRemove_OfADestinationWithAnExportNotFinished_IsRefusedWithoutForce()
    {
        var database = await OpenAsync();
        await database.Administration.Destinations.AddAsync(Pacs, "alice");
        await database.Jobs.EnqueueAsync(JobRequest.Create(JobKinds.Export, "export:1.2.3:pacs", new ExportPayload("1.2.3", "pacs"), JobJsonContext.Default.ExportPayload));

        var refused = await database.Administration.Destinations.RemoveAsync("pacs", "bob", force: false);

        Assert.Equal(ChangeStatus.InUse, refused.Status);
        Assert.Contains("export jobs are not finished", Assert.Single(refused.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminSeed_AppliesOnTheFirstStartOnly()
    {
        var database = await OpenAsync();
        var admin = database.SqlAdministration;
        var seed = ConfigSnapshot.Empty with
        {
            Aes = [new ListeningAe { AeTitle = "MINIGPTMED" }],
            Destinations = [new Destination { Name = "folder", Type = DestinationType.Folder }],
        };

        Assert.True(await admin.SeedOnceAsync(seed, "appsettings"));
        await admin.Aes.RemoveAsync("MINIGPTMED", "alice", force: false);
        Assert.False(await admin.SeedOnceAsync(seed, "appsettings"));

        Assert.Empty(await admin.Aes.ListAsync());
        Assert.Single(await admin.Destinations.ListAsync());
        Assert.Equal(["alice", "appsettings", "appsettings"], (await admin.ChangesAsync(10)).Select(c => c.Actor));
    }

    private async Task AssertNothingWrittenAsync(IAdministration admin)
    {
        Assert.Equal(0, await admin.VersionAsync());
        Assert.Empty(await admin.ChangesAsync(10));
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM config_items"));
    }
}
