namespace MiniGptMed.DicomNode.Cli.Admin;

/// <summary>The text output of <c>studies list</c> and <c>studies show</c>.</summary>
internal static class StudiesText
{
    public static void WriteList(TextWriter writer, IReadOnlyList<StudyView> studies)
    {
        if (studies.Count == 0)
        {
            writer.WriteLine("no studies.");
            return;
        }

        TextTable.Write(
            writer,
            ["STUDY", "AE", "RECEIVED", "FIRST", "LAST", "STABLE", "STATE", "ANALYSIS", "FINDINGS", "EXPORTS"],
            studies.Select(s => (IReadOnlyList<string>)
            [
                s.GroupUid, s.CalledAe, TextTable.Text(s.InstanceCount), TextTable.Time(s.FirstReceivedAt), TextTable.Time(s.LastReceivedAt),
                TextTable.Time(s.StableAt), s.State, s.Analysis?.State ?? "-", s.Findings ?? "-", Exports(s),
            ]));
    }

    public static void WriteStudy(TextWriter writer, StudyDetailView study)
    {
        writer.WriteLine($"study {study.Uid}");
        foreach (var group in study.Groups)
        {
            writer.WriteLine();
            writer.WriteLine($"  group       {group.GroupUid} ({group.Level}) at {group.CalledAe}");
            writer.WriteLine($"  received    {group.InstanceCount} instance(s), first {TextTable.Time(group.FirstReceivedAt)}, last {TextTable.Time(group.LastReceivedAt)}");
            writer.WriteLine($"  stable      {TextTable.Time(group.StableAt)}");
            writer.WriteLine($"  state       {group.State} since {TextTable.Time(group.StateChangedAt)}");
            writer.WriteLine($"  analysis    {Work(group.Analysis)}");
            writer.WriteLine($"  findings    {group.Findings ?? "none yet"}");
            if (group.Exports.Count == 0)
            {
                writer.WriteLine("  exports     none");
            }

            foreach (var export in group.Exports)
            {
                writer.WriteLine($"  export      {export.Destination}: {Work(export.Work)}");
            }
        }

        writer.WriteLine();
        TextTable.Write(
            writer,
            ["SERIES", "NUMBER", "MODALITY", "BODY PART", "INSTANCES", "BYTES", "DESCRIPTION"],
            study.Series.Select(s => (IReadOnlyList<string>)
            [
                s.SeriesInstanceUid, s.SeriesNumber is { } n ? TextTable.Text(n) : "-", s.Modality ?? "-", s.BodyPart ?? "-",
                TextTable.Text(s.Instances), TextTable.Text(s.Bytes), s.Description ?? "",
            ]));
    }

    private static string Exports(StudyView study) =>
        study.Exports.Count == 0 ? "-" : string.Join(", ", study.Exports.Select(e => $"{e.Destination}:{e.Work.State}"));

    private static string Work(WorkView? work) => work is null
        ? "not queued"
        : $"{work.State} (job {work.JobId}, attempt {work.Attempt}/{work.MaxAttempts}, queued {TextTable.Time(work.QueuedAt)}"
          + (work.FinishedAt is { } finished ? $", finished {TextTable.Time(finished)}" : "")
          + ")" + (work.LastError is { } error ? $" last error: {error}" : "");
}
