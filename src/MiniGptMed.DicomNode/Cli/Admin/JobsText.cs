using MiniGptMed.DicomNode.Jobs;

namespace MiniGptMed.DicomNode.Cli.Admin;

/// <summary>The text output of <c>jobs list</c> and <c>jobs show</c>.</summary>
internal static class JobsText
{
    private const int ErrorWidth = 60;

    public static void WriteList(TextWriter writer, IReadOnlyList<Job> jobs, IReadOnlyDictionary<JobState, int> counts)
    {
        if (jobs.Count == 0)
        {
            writer.WriteLine("no jobs.");
        }
        else
        {
            TextTable.Write(
                writer,
                ["ID", "KIND", "STATE", "ATTEMPT", "SCHEDULED", "UPDATED", "KEY", "LAST ERROR"],
                jobs.Select(j => (IReadOnlyList<string>)
                [
                    TextTable.Text(j.Id), j.Kind, j.State.ToText(), $"{j.Attempt}/{j.MaxAttempts}", TextTable.Time(j.ScheduledAt),
                    TextTable.Time(j.UpdatedAt), j.IdempotencyKey, j.Errors.Count > 0 ? Shorten(j.Errors[^1].Message) : "",
                ]));
        }

        // The whole table's counts, whatever the filter: what an admin looks at first.
        writer.WriteLine($"all jobs: {string.Join(", ", Enum.GetValues<JobState>().Select(s => $"{s.ToText()} {counts.GetValueOrDefault(s)}"))}");
    }

    public static void WriteJob(TextWriter writer, Job job)
    {
        writer.WriteLine($"job {job.Id}");
        writer.WriteLine($"  kind        {job.Kind}");
        writer.WriteLine($"  state       {job.State.ToText()}");
        writer.WriteLine($"  key         {job.IdempotencyKey}");
        writer.WriteLine($"  payload     {job.Payload}");
        writer.WriteLine($"  attempts    {job.Attempt} of {job.MaxAttempts}");
        writer.WriteLine($"  priority    {job.Priority}");
        writer.WriteLine($"  scheduled   {TextTable.Time(job.ScheduledAt)}");
        writer.WriteLine($"  lease       {(job.LeaseOwner is { } owner ? $"{owner} until {TextTable.Time(job.LeaseExpiresAt)}" : "-")}");
        writer.WriteLine($"  created     {TextTable.Time(job.CreatedAt)}");
        writer.WriteLine($"  updated     {TextTable.Time(job.UpdatedAt)}");
        writer.WriteLine($"  finished    {TextTable.Time(job.FinishedAt)}");
        writer.WriteLine(job.Errors.Count == 0 ? "  errors      none" : $"  errors      {job.Errors.Count}");
        foreach (var error in job.Errors)
        {
            writer.WriteLine($"    {TextTable.Time(error.At)}  attempt {error.Attempt}: {error.Message}");
        }
    }

    private static string Shorten(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= ErrorWidth ? line : string.Concat(line.AsSpan(0, ErrorWidth - 3), "...");
    }
}
