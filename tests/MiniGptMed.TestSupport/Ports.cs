using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MiniGptMed.TestSupport;

/// <summary>Waiting for a child process (storescp, Orthanc) to listen: they give no other signal that they are ready.</summary>
public static class Ports
{
    public static async Task WaitUntilListeningAsync(int port, Process process, TimeSpan timeout, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            using var probe = new TcpClient();
            try
            {
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                // Readiness poll: the child has no other signal that it is listening.
                await Task.Delay(50);
            }
            catch (SocketException e)
            {
                throw new InvalidOperationException(
                    $"{describe()} ({(process.HasExited ? $"exited with {process.ExitCode}" : $"timed out after {timeout.TotalSeconds:0} s")})", e);
            }
        }
    }
}
