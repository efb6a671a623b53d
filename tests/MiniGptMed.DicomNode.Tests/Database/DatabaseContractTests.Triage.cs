using MiniGptMed.DicomNode.Catalogue;
using MiniGptMed.DicomNode.Database;
using MiniGptMed.DicomNode.Worklist.Triage;

namespace MiniGptMed.DicomNode.Tests.Database;

/// <summary>The triage rows (migration 0005) and the worklist query, on each engine.</summary>
public abstract partial class DatabaseContractTests
{
    [Fact]
    public async Task Worklist_OrdersByPriorityThenArrival_ShowsFailedAsFailed_AndUntriagedLast()
    {
        var database = await OpenAsync();
        // Arrival order: routine, failed, stat, untriaged, urgent (each study one minute after the previous).
        string[] studies = ["1.9.1", "1.9.2", "1.9.3", "1.9.4", "1.9.5"];
        foreach (var study in studies)
        {
            await database.Catalogue.RecordAsync(TestInstances.Ct(study, study + ".1", 1, Clock.Now));
            Clock.Advance(TimeSpan.FromMinutes(1));
        }

        await Save(database, "1.9.1", 11, TriagePriority.Routine, "ROUTINE: no finding");
        await Save(database, "1.9.2", 12, TriagePriority.Failed, "FAILED: analysis failed: model missing");
        await Save(database, "1.9.3", 13, TriagePriority.Stat, "STAT: pneumothorax 91% (rule ptx)");
        await Save(database, "1.9.5", 15, TriagePriority.Urgent, "URGENT: nodule 80% (rule nodule)");
        await database.Catalogue.TransitionStudyAsync("NODE", "1.9.2", StudyState.Receiving, StudyState.Failed);

        var list = await database.Triage.WorklistAsync(new WorklistQuery());

        Assert.Equal(["1.9.3", "1.9.5", "1.9.2", "1.9.1", "1.9.4"], list.Select(e => e.Study.GroupUid));
        Assert.Equal(TriagePriority.Failed, list[2].Triage!.Priority);
        Assert.Equal(StudyState.Failed, list[2].Study.State);
        Assert.Null(list[4].Triage);
        Assert.Equal("CT", list[0].Modality);
        Assert.Equal("STAT: pneumothorax 91% (rule ptx)", list[0].Triage!.Summary);
        var finding = Assert.Single(list[0].Triage!.Content.Findings);
        Assert.Equal(0.91, finding.Confidence);

        Assert.Equal(["1.9.3"], (await database.Triage.WorklistAsync(new WorklistQuery { Priority = TriagePriority.Stat })).Select(e => e.Study.GroupUid));
        Assert.Equal(["1.9.2"], (await database.Triage.WorklistAsync(new WorklistQuery { State = StudyState.Failed })).Select(e => e.Study.GroupUid));
        Assert.Empty(await database.Triage.WorklistAsync(new WorklistQuery { Modality = "MR" }));
        Assert.Equal(5, (await database.Triage.WorklistAsync(new WorklistQuery { Modality = "ct", CalledAe = "NODE" })).Count);
        Assert.Empty(await database.Triage.WorklistAsync(new WorklistQuery { CalledAe = "OTHER" }));
    }

    [Fact]
    public async Task TriageSave_OfAnOlderVersion_DoesNotReplaceANewerOne()
    {
        var database = await OpenAsync();
        await database.Catalogue.RecordAsync(TestInstances.Ct("1.8.1", "1.8.1.1", 1, Clock.Now));
        await Save(database, "1.8.1", 20, TriagePriority.Stat, "STAT: newer");
        await Save(database, "1.8.1", 19, TriagePriority.Routine, "ROUTINE: older, finished late");

        var row = await database.Triage.GetAsync("NODE", "1.8.1");
        Assert.Equal(20, row!.Version);
        Assert.Equal("STAT: newer", row.Summary);

        await Save(database, "1.8.1", 21, TriagePriority.Routine, "ROUTINE: re-analysed");
        Assert.Equal(TriagePriority.Routine, (await database.Triage.GetAsync("NODE", "1.8.1"))!.Priority);
    }

    private Task Save(NodeDatabase database, string group, long version, TriagePriority priority, string summary) =>
        database.Triage.SaveAsync(new StudyTriage
        {
            CalledAe = "NODE",
            GroupUid = group,
            Version = version,
            Priority = priority,
            Summary = summary,
            Modality = "CT",
            Content = new TriageContent("there is a shadow .", priority == TriagePriority.Stat ? [new TriageFinding("pneumothorax", "36118008", "SCT", "Pneumothorax", 0.91, 1)] : []),
            DecidedAt = Clock.Now,
        });
}
