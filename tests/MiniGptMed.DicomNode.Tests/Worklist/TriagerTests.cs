using MiniGptMed.DicomNode.Worklist.Triage;

namespace MiniGptMed.DicomNode.Tests.Worklist;

public sealed class TriagerTests
{
    private static readonly TriageRuleOptions PneumothoraxStat = new() { Name = "ptx", Priority = "stat", Codes = ["SCT:36118008"], MinConfidence = 0.6 };

    private static readonly TriageRuleOptions NoduleUrgent = new() { Name = "nodule", Priority = "urgent", Phrases = ["*nodule*"] };

    private static TriageFinding Finding(string phrase, string code, double? confidence) => new(phrase, code, code.StartsWith('9') ? "99MGM" : "SCT", phrase, confidence, 1);

    [Fact]
    public void NoFinding_IsRoutine()
    {
        var decision = Triager.Decide([PneumothoraxStat, NoduleUrgent], []);
        Assert.Equal(TriagePriority.Routine, decision.Priority);
        Assert.Null(decision.Rule);
        Assert.Equal("ROUTINE: no finding", decision.Summary);
    }

    [Fact]
    public void CodeRule_AboveItsMinimumConfidence_WinsOverALowerPriorityPhraseRule()
    {
        var decision = Triager.Decide([NoduleUrgent, PneumothoraxStat],
            [Finding("small nodule", "27925004", 0.5), Finding("pneumothorax", "36118008", 0.91)]);
        Assert.Equal(TriagePriority.Stat, decision.Priority);
        Assert.Equal("ptx", decision.Rule);
        Assert.Equal("STAT: pneumothorax 91%, small nodule 50% (rule ptx)", decision.Summary);
    }

    [Fact]
    public void CodeRule_BelowItsMinimumConfidence_DoesNotCount()
    {
        var decision = Triager.Decide([PneumothoraxStat], [Finding("pneumothorax", "36118008", 0.59)]);
        Assert.Equal(TriagePriority.Routine, decision.Priority);
        Assert.Equal("ROUTINE: pneumothorax 59%", decision.Summary);
    }

    [Fact]
    public void FindingWithoutConfidence_MatchesOnlyARuleWithoutAMinimum()
    {
        Assert.Equal(TriagePriority.Routine, Triager.Decide([PneumothoraxStat], [Finding("pneumothorax", "36118008", null)]).Priority);
        Assert.Equal(TriagePriority.Urgent, Triager.Decide([NoduleUrgent], [Finding("Nodule", "27925004", null)]).Priority);
    }

    [Fact]
    public void BareCodeValue_MatchesAnyScheme_AndPhraseGlobsIgnoreCase()
    {
        var rule = new TriageRuleOptions { Name = "x", Priority = "urgent", Codes = ["36118008"] };
        Assert.True(Triager.Matches(rule, Finding("pneumothorax", "36118008", 0.1)));
        Assert.True(Triager.Matches(NoduleUrgent, Finding("Calcified NODULE", "99X", 0.1)));
        Assert.False(Triager.Matches(NoduleUrgent, Finding("mass", "99Y", 0.9)));
    }

    [Fact]
    public void FailedAnalysis_IsItsOwnPriority_WithTheReasonOnOneLine()
    {
        var decision = Triager.Failed("model missing\nsecond line");
        Assert.Equal(TriagePriority.Failed, decision.Priority);
        Assert.Equal("FAILED: analysis failed: model missing second line", decision.Summary);
    }

    [Fact]
    public void PerAeRules_ReplaceTheCommonOnes()
    {
        var options = new TriageOptions { Rules = [NoduleUrgent], AeTitles = { ["CHEST"] = new TriageAeOptions { Rules = [PneumothoraxStat] } } };
        Assert.Same(PneumothoraxStat, Assert.Single(options.RulesFor("CHEST")));
        Assert.Same(NoduleUrgent, Assert.Single(options.RulesFor("OTHER")));
    }

    [Fact]
    public void Validator_NamesTheKeyOfEachBadValue()
    {
        var options = new TriageOptions
        {
            Rules = [new TriageRuleOptions { Name = "", Priority = "routine", MinConfidence = 1.5 }],
        };
        var result = new TriageOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains("Worklist:Triage:Rules:0:Name is required", result.Failures!);
        Assert.Contains("Worklist:Triage:Rules:0:Priority 'routine' must be stat or urgent", result.Failures!);
        Assert.Contains(result.Failures!, f => f.StartsWith("Worklist:Triage:Rules:0:MinConfidence", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("Worklist:Triage:Rules:0: give Codes or Phrases", StringComparison.Ordinal));
    }
}
