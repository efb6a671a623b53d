using Microsoft.Extensions.Options;

namespace MiniGptMed.DicomNode.Jobs;

/// <summary>The job queue and its workers (configuration section <c>Jobs</c>).</summary>
public sealed class JobOptions
{
    public const string Section = "Jobs";

    /// <summary>Attempts before a job is dead-lettered; 5 with the backoff below spans about 4 minutes (River: 25, Oban: 20).</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The delay after the first failure; each next one doubles it, with jitter.</summary>
    public int BackoffBaseSeconds { get; set; } = 15;

    /// <summary>The longest delay between attempts.</summary>
    public int BackoffMaxSeconds { get; set; } = 3600;

    /// <summary>
    /// How long a claim holds a job without renewal. A worker renews at a third of it while the job runs, so only a
    /// dead or frozen process lets it lapse; then another worker takes the job over after the rescuer sees it.
    /// </summary>
    public int LeaseSeconds { get; set; } = 60;

    /// <summary>Jobs one process runs at once (the analysis is GPU-bound: 1-2 is right there; export can take more).</summary>
    public int Concurrency { get; set; } = 2;

    /// <summary>The fallback poll when no wake-up came (a NOTIFY lost with a dropped connection, a scheduled retry coming due).</summary>
    public int PollSeconds { get; set; } = 5;

    /// <summary>How often expired leases are rescued and finished rows pruned.</summary>
    public int MaintenanceSeconds { get; set; } = 30;

    /// <summary>Succeeded and cancelled jobs are deleted this long after they finished; dead letters stay until retried or cancelled.</summary>
    public int RetentionHours { get; set; } = 7 * 24;

    /// <summary>The delay before attempt <paramref name="attempt"/> + 1: base x 2^(attempt-1), at most max, then "equal jitter" (half fixed, half random) so that jobs failing together do not retry together.</summary>
    public TimeSpan Backoff(int attempt, double random)
    {
        var exponent = Math.Clamp(attempt - 1, 0, 30);
        var seconds = Math.Min(BackoffBaseSeconds * Math.Pow(2, exponent), BackoffMaxSeconds);
        return TimeSpan.FromSeconds(seconds / 2 + seconds / 2 * random);
    }
}

/// <summary>Checks <see cref="JobOptions"/>; every failure names its configuration key.</summary>
public sealed class JobOptionsValidator : IValidateOptions<JobOptions>
{
    public ValidateOptionsResult Validate(string? name, JobOptions options)
    {
        const string S = JobOptions.Section;
        var errors = new List<string>();
        Range(errors, $"{S}:MaxAttempts", options.MaxAttempts, 1, 1000);
        Range(errors, $"{S}:BackoffBaseSeconds", options.BackoffBaseSeconds, 1, 86400);
        Range(errors, $"{S}:BackoffMaxSeconds", options.BackoffMaxSeconds, options.BackoffBaseSeconds, 7 * 86400);
        Range(errors, $"{S}:LeaseSeconds", options.LeaseSeconds, 3, 86400);
        Range(errors, $"{S}:Concurrency", options.Concurrency, 1, 256);
        Range(errors, $"{S}:PollSeconds", options.PollSeconds, 1, 3600);
        Range(errors, $"{S}:MaintenanceSeconds", options.MaintenanceSeconds, 1, 86400);
        Range(errors, $"{S}:RetentionHours", options.RetentionHours, 1, 24 * 3650);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Range(List<string> errors, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{key} is {value}; it must be {min}..{max}.");
        }
    }
}
