using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MiniGptMed.TestSupport;

/// <summary>DCMTK's command-line tools (echoscu, storescu, storescp, dcmodify, ...) and the ports they listen on.</summary>
public static class Dcmtk
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string tool, params string[] args)
    {
        var result = await ExternalProcess.RunAsync(tool, args, TimeSpan.FromSeconds(60));
        return (result.ExitCode, result.Output);
    }

    /// <summary>A free loopback port: bind 0, read it, release it for a child process that cannot bind 0 itself.</summary>
    public static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>Starts a process and waits until it accepts TCP connections on <paramref name="port"/>.</summary>
    public static async Task<Process> StartListeningAsync(int port, string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await Ports.WaitUntilListeningAsync(port, process, TimeSpan.FromSeconds(15), () => $"{tool} is not listening on port {port}");
        return process;
    }
}
