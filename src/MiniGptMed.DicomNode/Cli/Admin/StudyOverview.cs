using System.Text.Json;
using MiniGptMed.DicomNode.Catalogue;
using MiniGptMed.DicomNode.Jobs;

namespace MiniGptMed.DicomNode.Cli.Admin;

/// <summary>
/// Puts together what the node knows of its studies: the catalogue's groups, and from the jobs table the latest
/// analysis of each group and the latest export of each study to each destination (the export state per
/// destination is the state of that job: there is no other record of it).
/// </summary>
internal sealed class StudyOverview(ICatalogue catalogue, IJobQueue jobs)
{
    // Jobs are pruned after Jobs:RetentionHours, so the analyse and export jobs of the table are few enough to read at once.
    private const int JobScan = 100_000;

    private const int StudyScan = 100_000;

    public async Task<IReadOnlyList<StudyView>> ListAsync(StudyState? state, int limit, CancellationToken cancellationToken)
    {
        var studies = await catalogue.StudiesAsync(state, limit, cancellationToken).ConfigureAwait(false);
        var work = await WorkAsync(cancellationToken).ConfigureAwait(false);
        return [.. studies.Select(work.ViewOf)];
    }

    /// <summary>The groups whose Study Instance UID or group UID (a series, for an AE that groups by series) is <paramref name="uid"/>; null when none.</summary>
    public async Task<StudyDetailView?> ShowAsync(string uid, CancellationToken cancellationToken)
    {
        var groups = (await catalogue.StudiesAsync(null, StudyScan, cancellationToken).ConfigureAwait(false))
            .Where(s => s.StudyInstanceUid == uid || s.GroupUid == uid)
            .ToList();
        if (groups.Count == 0)
        {
            return null;
        }

        var work = await WorkAsync(cancellationToken).ConfigureAwait(false);
        var study = groups[0].StudyInstanceUid;
        var instances = await catalogue.InstancesAsync(study, null, cancellationToken).ConfigureAwait(false);
        var series = instances
            .GroupBy(i => i.SeriesInstanceUid, StringComparer.Ordinal)
            .Select(g => new SeriesView
            {
                SeriesInstanceUid = g.Key,
                SeriesNumber = g.First().SeriesNumber,
                Modality = g.First().Modality,
                BodyPart = g.First().BodyPartExamined,
                Description = g.First().SeriesDescription,
                Instances = g.Count(),
                Bytes = g.Sum(i => i.Size),
            })
            .ToList();
        return new StudyDetailView { Uid = uid, Groups = [.. groups.Select(work.ViewOf)], Series = series };
    }

    private async Task<StudyWork> WorkAsync(CancellationToken cancellationToken)
    {
        var rows = await jobs.ListAsync(new JobQuery { Kinds = [JobKinds.Analyse, JobKinds.Export], Limit = JobScan }, cancellationToken).ConfigureAwait(false);
        var work = new StudyWork();
        // Newest first: the first job seen for a group or a (study, destination) is the one that tells where it stands
        // (a re-analysis or a re-export has a newer job).
        foreach (var job in rows)
        {
            try
            {
                if (job.Kind == JobKinds.Analyse && JsonSerializer.Deserialize(job.Payload, JobJsonContext.Default.AnalysePayload) is { } analyse)
                {
                    work.Analyses.TryAdd((analyse.CalledAe, analyse.GroupUid), job);
                }
                else if (job.Kind == JobKinds.Export && JsonSerializer.Deserialize(job.Payload, JobJsonContext.Default.ExportPayload) is { } export)
                {
                    var destinations = work.Exports.TryGetValue(export.StudyInstanceUid, out var known) ? known : work.Exports[export.StudyInstanceUid] = [];
                    destinations.TryAdd(export.Destination, job);
                }
            }
            catch (JsonException)
            {
                // A payload of another shape (a later version's): it belongs to no study this view can name.
            }
        }

        return work;
    }

    private sealed class StudyWork
    {
        public Dictionary<(string Ae, string Group), Job> Analyses { get; } = [];

        public Dictionary<string, Dictionary<string, Job>> Exports { get; } = new(StringComparer.Ordinal);

        public StudyView ViewOf(StudyRecord study)
        {
            var analysis = Analyses.TryGetValue((study.CalledAe, study.GroupUid), out var job) ? job : null;
            var exports = Exports.TryGetValue(study.StudyInstanceUid, out var destinations)
                ? destinations.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => new ExportView { Destination = d.Key, Work = WorkView.From(d.Value) }).ToList()
                : [];
            return new StudyView
            {
                CalledAe = study.CalledAe,
                GroupUid = study.GroupUid,
                Level = StudyView.LevelText(study.Level),
                StudyInstanceUid = study.StudyInstanceUid,
                InstanceCount = study.InstanceCount,
                FirstReceivedAt = study.FirstReceivedAt,
                LastReceivedAt = study.LastReceivedAt,
                State = StudyView.StateText(study.State),
                StateChangedAt = study.StateChangedAt,
                StableAt = study.State switch
                {
                    StudyState.Receiving => null,
                    StudyState.Stable => study.StateChangedAt,
                    _ => analysis?.CreatedAt,
                },
                Analysis = analysis is null ? null : WorkView.From(analysis),
                Findings = study.Findings,
                Exports = exports,
            };
        }
    }
}
