using Microsoft.Extensions.Options;
using MiniGptMed.DicomNode.Assembly;
using MiniGptMed.DicomNode.Catalogue;

namespace MiniGptMed.DicomNode.Tests.Assembly;

/// <summary>Which rule a group gets: the defaults (the paper's chest uses), configured globs, and the reason when none.</summary>
public sealed class AnalysisRulesTests
{
    private static int _next;

    private static InstanceRecord Instance(string modality, string? bodyPart, string sopClass = "1.2.840.10008.5.1.4.1.1.1.1", string? description = null, string ae = "NODE") => new()
    {
        SopClassUid = sopClass,
        SopInstanceUid = "1.2.3.1." + Interlocked.Increment(ref _next).ToString(System.Globalization.CultureInfo.InvariantCulture),
        StudyInstanceUid = "1.2.3",
        SeriesInstanceUid = "1.2.3.1",
        Modality = modality,
        BodyPartExamined = bodyPart,
        SeriesDescription = description,
        CallingAe = "MOD",
        CalledAe = ae,
        ReceivedAt = DateTimeOffset.UnixEpoch,
        Path = "x.dcm",
        Size = 1,
    };

    [Theory]
    [InlineData("DX", "CHEST", "chest-radiograph")]
    [InlineData("CR", "chest", "chest-radiograph")]
    [InlineData("CR", null, "chest-radiograph")]
    [InlineData("CT", "CHEST", "chest-ct")]
    [InlineData("CT", "THORAX", "chest-ct")]
    [InlineData("CT", "HEAD", null)]
    [InlineData("MR", "CHEST", null)]
    [InlineData("US", null, null)]
    [InlineData("DX", "HAND", null)]
    public void TheDefaults_AreThePapersChestUses(string modality, string? bodyPart, string? expected)
    {
        var match = AnalysisRules.Match(AnalysisRulesOptions.Defaults, "NODE", [Instance(modality, bodyPart)]);
        Assert.Equal(expected, match.Rule?.Name);
    }

    [Fact]
    public void TheChestCtDefault_IsLungWindowEightEvenSlicesNoduleDetection()
    {
        var rule = AnalysisRulesOptions.Defaults.Single(r => r.Name == "chest-ct");
        Assert.Equal(("lung", "even:8"), (rule.Window, rule.Slices));
        var task = Assert.Single(rule.Tasks);
        Assert.Equal(("detection", "nodule"), (task.Task, task.Prompt));
        var chest = AnalysisRulesOptions.Defaults.Single(r => r.Name == "chest-radiograph");
        Assert.Equal(["report", "detection"], chest.Tasks.Select(t => t.Task));
        Assert.Equal("pneumonia", chest.Tasks[1].Prompt);
    }

    [Fact]
    public void NoMatch_GivesAReasonNamingWhatWasSeen_WithoutPatientData()
    {
        var match = AnalysisRules.Match(AnalysisRulesOptions.Defaults, "NODE", [Instance("MR", "KNEE", "1.2.840.10008.5.1.4.1.1.4"), Instance("MR", "KNEE", "1.2.840.10008.5.1.4.1.1.4")]);
        Assert.False(match.Matched);
        Assert.Equal("no rule matches (MR/KNEE/1.2.840.10008.5.1.4.1.1.4 x2)", match.Reason);
    }

    [Fact]
    public void ARuleCovers_OnlyTheInstancesItMatches()
    {
        // A chest CT study with a dose report (SR) and a localizer of another description.
        var rules = new List<AnalysisRuleOptions>
        {
            new() { Name = "ct", Modalities = ["CT"], SeriesDescriptions = ["*thorax*", "*lung*"], Tasks = [new() { Task = "detection", Prompt = "nodule" }] },
        };
        var instances = new[]
        {
            Instance("CT", "CHEST", "1.2.840.10008.5.1.4.1.1.2", "Thorax 1.0 B70f"),
            Instance("CT", "CHEST", "1.2.840.10008.5.1.4.1.1.2", "Topogram"),
            Instance("SR", null, "1.2.840.10008.5.1.4.1.1.88.67", "Dose Report"),
        };
        var match = AnalysisRules.Match(rules, "NODE", instances);
        Assert.Equal("Thorax 1.0 B70f", Assert.Single(match.Instances).SeriesDescription);
    }

    [Theory]
    [InlineData("CT_*", "CT_NODE", true)]
    [InlineData("CT_*", "DX_NODE", false)]
    [InlineData("?X_NODE", "DX_NODE", true)]
    [InlineData("*", "ANY", true)]
    public void CalledAePatterns_AreGlobs(string pattern, string calledAe, bool matches)
    {
        var rules = new List<AnalysisRuleOptions> { new() { Name = "r", CalledAes = [pattern], Tasks = [new() { Task = "report" }] } };
        Assert.Equal(matches, AnalysisRules.Match(rules, calledAe, [Instance("DX", "CHEST", ae: calledAe)]).Matched);
    }

    [Theory]
    [InlineData("1.2.840.10008.5.1.4.1.1.1*", "1.2.840.10008.5.1.4.1.1.1.1", true)]
    [InlineData("1.2.840.10008.5.1.4.1.1.1*", "1.2.840.10008.5.1.4.1.1.2", false)]
    [InlineData("a*b*c", "aXXbYYc", true)]
    [InlineData("a*b*c", "aXXbYY", false)]
    [InlineData("", "", true)]
    [InlineData("", "X", false)]
    public void Glob_MatchesStarAndQuestionMark(string pattern, string value, bool expected) =>
        Assert.Equal(expected, Glob.Matches(pattern, value));

    [Fact]
    public void BadRules_AreRefused_NamingTheKey()
    {
        var options = new AnalysisRulesOptions
        {
            Rules = [new() { Name = "bad", Tasks = [new() { Task = "diagnose" }], Window = "purple", Slices = "some", MaxImages = 0 }],
        };
        var result = new AnalysisRulesOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Contains(failures, f => f.StartsWith("AnalysisRules:Rules:0:Tasks:0:Task 'diagnose'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("AnalysisRules:Rules:0:Window", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("AnalysisRules:Rules:0:Slices", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("AnalysisRules:Rules:0:MaxImages", StringComparison.Ordinal));
    }

    [Fact]
    public void BadAssemblySettings_AreRefused_NamingTheKey()
    {
        var options = new AssemblyOptions { StableSeconds = 0 };
        options.AeTitles["CT_NODE"] = new AeAssemblyOptions { StableSeconds = 900, MaxWaitSeconds = 600 };
        var result = new AssemblyOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("Assembly:StableSeconds is 0", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("Assembly:AeTitles:CT_NODE:StableSeconds is 900", StringComparison.Ordinal));
        Assert.Equal(ValidateOptionsResult.Success, new AssemblyOptionsValidator().Validate(null, new AssemblyOptions()));
    }
}
