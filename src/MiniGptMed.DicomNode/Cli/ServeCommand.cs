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
internal sealed class ServeCommand : ICommand
{
    public string Name => "serve";

    public string Usage => "serve [--config FILE] [--port P] [--aet AE] [--data DIR] [--flush on|off]";

    public string Summary => "Run the node (default: port 11112, AE MINIGPTMED, data in the user's data folder, printed at start); loopback peers only until sources are added.";

    public async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var settings = Parse(args);
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

                return 2;
            }
            catch (InvalidOperationException ex) when (ex.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
            {
                stderr.WriteLine($"minigptmed serve: configuration: {ex.Message}");
                return 2;
            }
            catch (SocketException ex)
            {
                stderr.WriteLine($"minigptmed serve: cannot listen: {ex.Message}");
                return 1;
            }
            catch (System.Data.Common.DbException ex)
            {
                // The database could not be opened or migrated (PostgreSQL unreachable, a locked or damaged file).
                stderr.WriteLine($"minigptmed serve: database: {ex.Message}");
                return 1;
            }

            var reception = host.Services.GetRequiredService<ReceptionService>();
            stdout.WriteLine($"minigptmed serve: port {reception.LocalEndPoint.Port}, storing into {reception.DataDirectory}");
            await host.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }
    }

    private static NodeHostSettings Parse(string[] args)
    {
        var arguments = new NetworkArguments(args, "--config", "--port", "--aet", "--data", "--flush");
        if (arguments.Positional.Count > 0)
        {
            throw new CommandLineException($"unexpected argument '{arguments.Positional[0]}'.");
        }

        return new NodeHostSettings
        {
            ConfigFile = arguments.Has("--config") ? arguments.Get("--config", "") : null,
            Port = arguments.Has("--port") ? arguments.GetInt("--port", 0, 0, 65535) : null,
            AeTitle = arguments.Has("--aet") ? arguments.GetAeTitle("--aet", "") : null,
            DataDirectory = arguments.Has("--data") ? arguments.Get("--data", "") : null,
            FlushToDisk = arguments.Has("--flush")
                ? arguments.Get("--flush", "") switch
                {
                    "on" => true,
                    "off" => false,
                    var other => throw new CommandLineException($"--flush is on or off, not '{other}'."),
                }
                : null,
        };
    }
}
