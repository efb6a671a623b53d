using System.CommandLine;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MiniGptMed.DicomNode.Configuration;
using MiniGptMed.DicomNode.Reception;

namespace MiniGptMed.DicomNode.Cli;

/// <summary>
/// <c>minigptmed serve [--config FILE] [--port P] [--aet AE] [--data DIR] [--flush on|off]</c>: runs the node until
/// Ctrl+C or SIGTERM. Options given here override configuration. Exit codes: 0 stopped, 1 cannot listen,
/// 2 bad arguments or configuration.
/// </summary>
internal static class ServeCommand
{
    public static Command Create(CliContext cli)
    {
        var config = CliOptions.Config();
        var data = CliOptions.Data();
        var port = CliOptions.Integer("--port", "PORT", "The DICOM port (Reception:Port; 0: one the OS chooses, printed at start).", 0, 65535);
        var aet = CliOptions.AeTitle("--aet", "Answer this AE title alone for this run (its settings still come from the database).");
        var flush = new Option<string>("--flush") { Description = "fsync each stored instance before answering (Storage:FlushToDisk).", HelpName = "on|off" };
        flush.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } value and not ("on" or "off"))
            {
                result.AddError($"--flush is on or off, not '{value}'.");
            }
        });
        var command = new Command("serve",
            "Run the node until Ctrl+C or SIGTERM (default: port 11112, AE MINIGPTMED, data in the user's data folder, printed at start); loopback peers only until sources are added.")
        {
            config, data, port, aet, flush,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(new NodeHostSettings
        {
            ConfigFile = parse.GetValue(config),
            DataDirectory = parse.GetValue(data),
            Port = parse.GetValue(port),
            AeTitle = parse.GetValue(aet),
            FlushToDisk = parse.GetValue(flush) is { } f ? f == "on" : null,
        }, cli.Out, cli.Error, cancellationToken));
        return command;
    }

    internal static async Task<int> RunAsync(NodeHostSettings settings, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        IHost host;
        try
        {
            host = NodeHost.Build(settings);
        }
        catch (Exception ex) when (ex is FileNotFoundException or InvalidDataException)
        {
            // A missing --config file, or JSON that does not parse (the message names the file and the position).
            stderr.WriteLine($"minigptmed serve: configuration: {ex.Message}{(ex.InnerException is { } inner ? " " + inner.Message : "")}");
            return 2;
        }

        using (host)
        {
            try
            {
                // Validated here, before the host starts, so a bad value gets one clear line instead of the host's stack trace.
                NodeHost.ValidateConfiguration(host.Services);
                await host.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OptionsValidationException ex)
            {
                foreach (var failure in ex.Failures)
                {
                    stderr.WriteLine($"minigptmed serve: configuration: {failure}");
                }

                return await StoppedAsync(host, 2).ConfigureAwait(false);
            }
            catch (InvalidOperationException ex) when (ex.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
            {
                stderr.WriteLine($"minigptmed serve: configuration: {ex.Message}");
                return await StoppedAsync(host, 2).ConfigureAwait(false);
            }
            catch (SocketException ex)
            {
                // The DICOM listener (plain or TLS port) binds in the reception's start.
                stderr.WriteLine($"minigptmed serve: cannot listen for DICOM: {ex.Message}");
                return await StoppedAsync(host, 1).ConfigureAwait(false);
            }
            catch (IOException ex) when (ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException or SocketException)
            {
                // Kestrel's own words name the admin URL ("Failed to bind to address http://127.0.0.1:8080: address
                // already in use"); without this the host's start failure ended the process with an unhandled exception.
                stderr.WriteLine($"minigptmed serve: cannot listen for HTTP (Admin:Url): {ex.Message}");
                return await StoppedAsync(host, 1).ConfigureAwait(false);
            }
            catch (System.Data.Common.DbException ex)
            {
                // The database could not be opened or migrated (PostgreSQL unreachable, a locked or damaged file).
                stderr.WriteLine($"minigptmed serve: database: {ex.Message}");
                return await StoppedAsync(host, 1).ConfigureAwait(false);
            }

            var reception = host.Services.GetRequiredService<ReceptionService>();
            stdout.WriteLine($"minigptmed serve: port {reception.LocalEndPoint.Port}, storing into {reception.DataDirectory}");
            await host.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }
    }

    /// <summary>
    /// Stops what did start before a failed start is reported: the host is then disposed as after a stop, and its
    /// background services end quietly instead of logging their cancellation as a critical failure.
    /// </summary>
    private static async Task<int> StoppedAsync(IHost host, int exitCode)
    {
        try
        {
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await host.StopAsync(grace.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or AggregateException or IOException or InvalidOperationException)
        {
            // The start's failure is what the caller reports; a stop that fails as well adds nothing to it.
        }

        return exitCode;
    }
}
