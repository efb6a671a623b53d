using System.Globalization;
using System.Text.RegularExpressions;
using MiniGptMed.Dicom.Network.Dimse;
using MiniGptMed.Dicom.Network;
using Microsoft.Playwright;
using MiniGptMed.DicomNode.Catalogue;
using MiniGptMed.DicomNode.Http.Security;
using MiniGptMed.DicomNode.Jobs;
using MiniGptMed.DicomNode.Tests.EndToEnd;
using MiniGptMed.DicomNode.Tests.Support;

namespace MiniGptMed.DicomNode.Tests.Http;

/// <summary>
/// The console as an admin uses it, in Debian's headless Chromium driven by Playwright (no browser download: the
/// executable is /usr/bin/chromium, or PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH). Screenshots go to docs/images/ with MINIGPTMED_SCREENSHOTS=1.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ConsoleBrowserTests
{
    internal static string Chromium => Environment.GetEnvironmentVariable("PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    [Fact]
    public async Task AnAdmin_LogsIn_AddsAnAeAndASource_SeesTheValidationMessage_AndEchoscuReachesTheNewAeWithoutARestart()
    {
        await using var node = await AdminNode.StartAsync("http://0.0.0.0:0");
        await node.AddUserAsync("ada", Roles.Admin);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium, Headless = true,
            // Tests run as root in CI; Chromium's sandbox refuses root.
            Args = ["--no-sandbox"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        // The screenshots in docs/images are refreshed on request (MINIGPTMED_SCREENSHOTS=1), so a test run leaves the tree clean.
        using var scratch = new TempDirectory();
        var images = Environment.GetEnvironmentVariable("MINIGPTMED_SCREENSHOTS") == "1"
            ? Path.Combine(TestPaths.RepositoryRoot, "docs", "images")
            : scratch.Path;

        // Without a session every page is the login form (401).
        var first = await page.GotoAsync(node.BaseAddress.ToString());
        Assert.Equal(401, first!.Status);
        await page.GetByLabel("User name").FillAsync("ada");
        await page.GetByLabel("Password").FillAsync(AdminNode.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("ada (admin)")).ToBeVisibleAsync();

        // A study through the node, as a modality sends it (the node's own SCU, what `minigptmed send` runs): the sample
        // radiograph, analysed by the bundled model and its results written to the seeded folder destination. The
        // dashboard then shows it with its findings and the thumbnail of its Secondary Capture.
        var dx = Path.Combine(TestPaths.RepositoryRoot, "sample-dicom", "chest-dx", "IM0001.dcm");
        var stored = await new DicomClient("127.0.0.1", node.DicomPort, "MODALITY", "MINIGPTMED").StoreAsync([Part10Source.Probe(dx)], null, CancellationToken.None);
        Assert.True(Assert.Single(stored).Succeeded);
        await node.WaitForJobAsync(JobKinds.Export, JobState.Succeeded, TimeSpan.FromMinutes(3));
        await node.WaitForStudyAsync(StudyState.Analysed, TimeSpan.FromMinutes(1));
        await page.ReloadAsync();
        var study = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "analysed" });
        await Assertions.Expect(study).ToContainTextAsync("MINIGPTMED");
        // The findings summary of the analysis ("1 finding: pneumonia x1"), not the SR's device and model text.
        await Assertions.Expect(study).ToContainTextAsync(new Regex(@"\d+ findings?: pneumonia x\d+"));
        await Assertions.Expect(study).Not.ToContainTextAsync("MiniGPT-Med DICOM Node");
        var thumbnail = study.GetByRole(AriaRole.Img, new() { NameRegex = new Regex("^Secondary Capture of study ") });
        await Assertions.Expect(thumbnail).ToBeVisibleAsync();
        // Decoded, not only laid out: the PNG the node rendered from the SC.
        await page.WaitForFunctionAsync("() => [...document.images].every(i => i.complete && i.naturalWidth > 0)");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(images, "console-dashboard.png"), FullPage = true });

        // A 17-character AE title: the service's message beside the input, nothing added.
        await page.GetByRole(AriaRole.Link, new() { Name = "AE titles" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Add AE title" }).ClickAsync();
        await page.GetByLabel("AE title", new() { Exact = true }).FillAsync("ABCDEFGHIJKLMNOPQ");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add AE title" }).ClickAsync();
        await Assertions.Expect(page.Locator("#f-aeTitle-error")).ToHaveTextAsync("'ABCDEFGHIJKLMNOPQ' is 17 characters; an AE title is at most 16 (PS3.5 6.2).");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(images, "console-validation.png"), FullPage = true });
        Assert.Null(await node.Database.Administration.Aes.GetAsync("ABCDEFGHIJKLMNOPQ"));

        // The AE, answering known sources only, then the source that may call it.
        await page.GetByLabel("AE title", new() { Exact = true }).FillAsync("NEWAE");
        await page.GetByLabel("Only known sources").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add AE title" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("AE title 'NEWAE' added.");

        await page.GetByRole(AriaRole.Link, new() { Name = "Sources" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Add source" }).ClickAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("lab-echo");
        await page.GetByLabel("Calling AE title").FillAsync("LABECHO");
        await page.GetByLabel("Addresses").FillAsync("127.0.0.1, ::1");
        await page.GetByLabel("May call").FillAsync("NEWAE");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add source" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Source 'lab-echo' added.");

        // DCMTK's echoscu reaches the new AE as the new source, at once; a caller that is not a source is refused.
        var port = node.DicomPort.ToString(CultureInfo.InvariantCulture);
        var echo = await ExternalProcess.RunAsync("echoscu", ["-aet", "LABECHO", "-aec", "NEWAE", "127.0.0.1", port]);
        Assert.True(echo.ExitCode == 0, echo.Output);
        var stranger = await ExternalProcess.RunAsync("echoscu", ["-aet", "STRANGER", "-aec", "NEWAE", "127.0.0.1", port]);
        Assert.NotEqual(0, stranger.ExitCode);

        // The audit page names the change, who made it, before and after.
        await page.GetByRole(AriaRole.Link, new() { Name = "Audit log" }).ClickAsync();
        var newAe = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "NEWAE" }).Filter(new() { HasText = "ae" }).First;
        await Assertions.Expect(newAe).ToContainTextAsync("http:ada");
        await Assertions.Expect(newAe).ToContainTextAsync("add");
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "lab-echo" }).First).ToContainTextAsync("http:ada");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(images, "console-audit.png"), FullPage = true });
    }
}
