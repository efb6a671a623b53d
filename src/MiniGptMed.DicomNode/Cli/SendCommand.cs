using System.CommandLine;
using System.Net.Sockets;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.Network;
using MiniGptMed.Dicom.Network.Association;
using MiniGptMed.Dicom.Network.Dimse;

namespace MiniGptMed.DicomNode.Cli;

/// <summary>
/// <c>minigptmed send HOST PORT PATH... [--aet A] [--aec B] [--parallel N]</c>: C-STORE files and folders (recursive)
/// over N associations, with a progress bar and a summary of the statuses.
/// </summary>
internal static class SendCommand
{
    public static Command Create(CliContext cli)
    {
        var host = EchoCommand.Host();
        var port = CliOptions.Port("The peer's DICOM port.");
        var paths = CliOptions.Operand(new Argument<string[]>("PATH")
        {
            Description = "DICOM files, or folders sent with everything under them (files that are not DICOM are skipped and counted).",
            Arity = ArgumentArity.OneOrMore,
        });
        var aet = EchoCommand.Aet();
        var aec = EchoCommand.Aec();
        var parallel = CliOptions.Integer("--parallel", "N", "Associations at once, 1-64 (default 1).", 1, 64);
        var command = new Command("send", "Send DICOM files and folders (recursive) to a peer by C-STORE, over N associations in parallel, with a summary of the statuses.")
        {
            host, port, paths, aet, aec, parallel,
        };
        var tls = TlsOptions.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(host)!, parse.GetValue(port), parse.GetValue(paths)!, parse.GetValue(aet) ?? EchoCommand.DefaultAeTitle,
            parse.GetValue(aec) ?? EchoCommand.DefaultAeTitle, parse.GetValue(parallel) ?? 1, tls.From(parse), cli.Out, cli.Error, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string host, int port, string[] paths, string calling, string called, int parallel, Dicom.Network.Security.DicomTlsClientOptions? tls,
        TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var sources = new List<Part10Source>();
        var skipped = 0;
        foreach (var path in Expand(paths, stderr))
        {
            try
            {
                sources.Add(Part10Source.Probe(path));
            }
            catch (Exception ex) when (ex is DicomFormatException or DicomDataException or IOException or EndOfStreamException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"skipped {path}: {ex.Message}");
                skipped++;
            }
        }

        var progress = new ProgressBar(sources.Count, stderr);
        var batches = Enumerable.Range(0, parallel).Select(i => sources.Where((_, j) => j % parallel == i).ToList()).Where(b => b.Count > 0).ToList();
        var outcomes = new List<StoreOutcome>();
        var failures = 0;
        var runs = batches.Select(async batch =>
        {
            // PS3.8 9.3.2.2: at most 128 presentation contexts per association; each chunk proposes its own.
            foreach (var chunk in batch.Chunk(512))
            {
                try
                {
                    var client = new DicomClient(host, port, calling, called) { Tls = tls };
                    var result = await client.StoreAsync(chunk, progress, cancellationToken).ConfigureAwait(false);
                    lock (outcomes)
                    {
                        outcomes.AddRange(result);
                    }
                }
                catch (StoreAssociationException ex)
                {
                    // The files answered before the association failed keep their outcome; only the rest count as not sent.
                    stderr.WriteLine($"association failed: {ex.Message}");
                    lock (outcomes)
                    {
                        outcomes.AddRange(ex.Outcomes);
                    }

                    Interlocked.Add(ref failures, chunk.Length - ex.Outcomes.Count);
                }
                catch (Exception ex) when (ex is SocketException or IOException or AssociationRejectedException or AssociationAbortedException or ArgumentException or InvalidOperationException)
                {
                    stderr.WriteLine($"association failed: {ex.Message}");
                    Interlocked.Add(ref failures, chunk.Length);
                }
            }
        });
        await Task.WhenAll(runs).ConfigureAwait(false);
        progress.Finish();

        foreach (var group in outcomes.GroupBy(o => o.Status is { } s ? $"{DimseStatus.Describe(s)} ({s:X4})" : o.Error ?? "not sent").OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            stdout.WriteLine($"{group.Count(),6}  {group.Key}");
        }

        if (failures > 0)
        {
            stdout.WriteLine($"{failures,6}  not sent: association failed");
        }

        if (skipped > 0)
        {
            stdout.WriteLine($"{skipped,6}  skipped: not DICOM Part 10 files");
        }

        return outcomes.All(o => o.Succeeded) && failures == 0 ? 0 : 1;
    }

    private static IEnumerable<string> Expand(IEnumerable<string> paths, TextWriter stderr)
    {
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    yield return file;
                }
            }
            else if (File.Exists(path))
            {
                yield return path;
            }
            else
            {
                stderr.WriteLine($"skipped {path}: no such file or folder");
            }
        }
    }

    /// <summary>A one-line progress bar on stderr when it is a terminal; silent when redirected.</summary>
    private sealed class ProgressBar(int total, TextWriter output) : IProgress<StoreOutcome>
    {
        private readonly bool _interactive = !Console.IsErrorRedirected;
        private int _done;

        public void Report(StoreOutcome value)
        {
            var done = Interlocked.Increment(ref _done);
            if (!_interactive)
            {
                return;
            }

            const int Width = 30;
            var filled = total == 0 ? Width : done * Width / total;
            lock (output)
            {
                output.Write($"\r[{new string('#', filled)}{new string(' ', Width - filled)}] {done}/{total}");
            }
        }

        public void Finish()
        {
            if (_interactive && total > 0)
            {
                output.WriteLine();
            }
        }
    }
}
