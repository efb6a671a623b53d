using System.Net;
using Microsoft.Extensions.Logging;
using MiniGptMed.Dicom.Imaging.Codecs;
using MiniGptMed.Dicom.Network;
using MiniGptMed.Dicom.Network.Association;
using MiniGptMed.Dicom.Network.Dimse;

namespace MiniGptMed.DicomNode.Cli;

/// <summary>
/// <c>minigptmed serve [--port P] [--aet AE] [--data DIR]</c>: the storage SCP (C-ECHO, C-STORE) until Ctrl+C.
/// Out of the box it accepts any calling AE from loopback addresses only. <c>--flush off</c> answers Success before
/// the instance reaches stable storage (faster, not durable across a power cut).
/// </summary>
internal sealed class ServeCommand : ICommand
{
    public string Name => "serve";

    public string Usage => "serve [--port P] [--aet AE] [--data DIR] [--flush on|off]";

    public string Summary => "Run the DICOM storage SCP (default port 11112, AE MINIGPTMED, data ./data); loopback peers only until sources are configured.";

    public async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var arguments = new NetworkArguments(args, "--port", "--aet", "--data", "--flush");
        if (arguments.Positional.Count > 0)
        {
            throw new CommandLineException($"unexpected argument '{arguments.Positional[0]}'.");
        }

        var port = arguments.GetInt("--port", 11112, 0, 65535);
        var aeTitle = arguments.GetAeTitle("--aet", "MINIGPTMED");
        var data = Path.GetFullPath(arguments.Get("--data", "data"));
        var flush = arguments.Get("--flush", "on") switch
        {
            "on" => true,
            "off" => false,
            var other => throw new CommandLineException($"--flush is on or off, not '{other}'."),
        };

        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
        var store = new FileSystemStoreService(new FileSystemStoreOptions { RootDirectory = data, FlushToDisk = flush }, loggers.CreateLogger<FileSystemStoreService>());
        var listener = new DicomListener(
            new DicomListenerOptions { EndPoint = new IPEndPoint(IPAddress.IPv6Any, port) },
            new CalledAeAssociationPolicy(() => [aeTitle], new LoopbackOnlyAssociationPolicy()),
            StorageNegotiation.CreateScpNegotiator(StorageNegotiation.TransferSyntaxPreference(
                new PixelDecoderRegistry(PixelDecoderRegistry.CreateDecoders(), loggers.CreateLogger<PixelDecoderRegistry>()))),
            new DimseServiceHandlerFactory(new VerificationService(), store, loggers.CreateLogger<DimseServiceHandlerFactory>()),
            loggers.CreateLogger<DicomListener>());
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            stop.Cancel();
        });
        try
        {
            listener.Start();
            stdout.WriteLine($"minigptmed serve: AE {aeTitle} on port {listener.LocalEndPoint.Port}, storing into {data}");
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            stderr.WriteLine($"minigptmed serve: cannot listen on port {port}: {ex.Message}");
            return 1;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
            await listener.DisposeAsync().ConfigureAwait(false);
        }

        return 0;
    }
}
