using Microsoft.Playwright;
using MiniGptMed.DicomNode.Catalogue;
using MiniGptMed.DicomNode.Export;
using MiniGptMed.DicomNode.Http.Security;
using MiniGptMed.DicomNode.Tests.Database;
using MiniGptMed.DicomNode.Tests.EndToEnd;
using MiniGptMed.DicomNode.Tests.Support;
using MiniGptMed.DicomNode.Worklist.Triage;

namespace MiniGptMed.DicomNode.Tests.Http;

/// <summary>The worklist page as a radiologist (a viewer) uses it, in Debian's headless Chromium driven by Playwright.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class WorklistBrowserTests
{
    private const string Routine = "1.2.826.0.1.3680043.10.543.901";
    private const string Failed = "1.2.826.0.1.3680043.10.543.902";
    private const string Stat = "1.2.826.0.1.3680043.10.543.903";

    [Fact]
    public async Task AViewer_SeesTheStatStudyFirst_ItsFindingsAndResults_AFailedAnalysisAsFailed_AndFiltersByPriority()
    {
        // Groups stay as the test puts them: no assembly decision within the test.
        // Bound to every interface, so the console asks for a login (loopback callers would be let in as the local admin).
        await using var node = await AdminNode.StartAsync("http://0.0.0.0:0", c => c["Assembly"]!["StableSeconds"] = 600);
        await node.AddUserAsync("rita", Roles.Viewer);

        // Arrival order: routine, failed, stat.
        var arrived = DateTimeOffset.UtcNow.AddMinutes(-30);
        foreach (var (study, i) in new[] { Routine, Failed, Stat }.Select((s, i) => (s, i)))
        {
            await node.Database.Catalogue.RecordAsync(TestInstances.Ct(study, study + ".1", 1, arrived.AddMinutes(i)));
        }

        Assert.True(await node.Database.Catalogue.TransitionStudyAsync("NODE", Routine, StudyState.Receiving, StudyState.Analysed));
        Assert.True(await node.Database.Catalogue.TransitionStudyAsync("NODE", Failed, StudyState.Receiving, StudyState.Failed));
        Assert.True(await node.Database.Catalogue.TransitionStudyAsync("NODE", Stat, StudyState.Receiving, StudyState.Analysed));
        await Save(node, Routine, 1, TriagePriority.Routine, "ROUTINE: no finding", []);
        await Save(node, Failed, 2, TriagePriority.Failed, "FAILED: analysis failed: model missing", []);
        await Save(node, Stat, 3, TriagePriority.Stat, "STAT: pneumothorax 91% (rule ptx)",
            [new TriageFinding("pneumothorax", "36118008", "SCT", "Pneumothorax", 0.9134, 1), new TriageFinding("small nodule", "27925004", "SCT", "Nodule", 0.42, 1)]);

        // The stat study's results folder holds an SR, as the analysis leaves it.
        var results = Directory.CreateDirectory(ResultFolders.For(node.DataDirectory, Stat)).FullName;
        var srPath = SyntheticDicom.Radiograph(Path.Combine(results, "SR_1.dcm"), 8, 8, new(4, 4, 2), Stat);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ConsoleBrowserTests.Chromium, Headless = true, Args = ["--no-sandbox"] });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        await page.GotoAsync(node.BaseAddress + "login");
        await page.GetByLabel("User name").FillAsync("rita");
        await page.GetByLabel("Password").FillAsync(AdminNode.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Worklist" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Worklist" })).ToBeVisibleAsync();

        // Stat first though it arrived last, then failed (no reassurance from the model), then routine.
        var rows = page.GetByRole(AriaRole.Row);
        await Assertions.Expect(rows).ToHaveCountAsync(4);
        await Assertions.Expect(rows.Nth(1)).ToContainTextAsync(Stat);
        await Assertions.Expect(rows.Nth(1)).ToContainTextAsync("stat");
        await Assertions.Expect(rows.Nth(1)).ToContainTextAsync("pneumothorax 91%");
        await Assertions.Expect(rows.Nth(1)).ToContainTextAsync("small nodule (Nodule) 42%");
        await Assertions.Expect(rows.Nth(2)).ToContainTextAsync(Failed);
        await Assertions.Expect(rows.Nth(2)).ToContainTextAsync("FAILED: analysis failed: model missing");
        await Assertions.Expect(rows.Nth(2).GetByRole(AriaRole.Cell).Nth(6)).ToHaveTextAsync("failed");
        await Assertions.Expect(rows.Nth(3)).ToContainTextAsync(Routine);

        // The result link gives the SR as the node stored it.
        var link = rows.Nth(1).GetByRole(AriaRole.Link, new() { Name = "Structured report" });
        var response = await page.APIRequest.GetAsync(node.BaseAddress + (await link.GetAttributeAsync("href"))!.TrimStart('/'));
        Assert.Equal(200, response.Status);
        Assert.Equal("application/dicom", response.Headers["content-type"]);
        Assert.Equal(await File.ReadAllBytesAsync(srPath), await response.BodyAsync());

        // Filtered by priority: the stat study alone.
        await page.GetByLabel("Priority").SelectOptionAsync("stat");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await Assertions.Expect(rows.Nth(1)).ToContainTextAsync(Stat);
        await page.GetByLabel("State").SelectOptionAsync("failed");
        await page.GetByLabel("Priority").SelectOptionAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await Assertions.Expect(rows.Nth(1)).ToContainTextAsync(Failed);

        // A file name that is not one of the study's results is not served.
        var outside = await page.APIRequest.GetAsync(node.BaseAddress + $"studies/{Stat}/results/..%2F..%2Fnode.db");
        Assert.Equal(404, outside.Status);
    }

    private static Task Save(AdminNode node, string study, long version, TriagePriority priority, string summary, IReadOnlyList<TriageFinding> findings) =>
        node.Database.Triage.SaveAsync(new StudyTriage
        {
            CalledAe = "NODE",
            GroupUid = study,
            Version = version,
            Priority = priority,
            Summary = summary,
            Modality = "CT",
            Content = new TriageContent(null, findings),
            DecidedAt = DateTimeOffset.UtcNow,
        });
}
