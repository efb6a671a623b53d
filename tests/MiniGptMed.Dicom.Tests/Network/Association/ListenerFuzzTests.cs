using System.Net.Sockets;
using MiniGptMed.Dicom.Network.Pdu;
using MiniGptMed.Dicom.Tests.Network.Pdu;

namespace MiniGptMed.Dicom.Tests.Network.Association;

public sealed class ListenerFuzzTests
{
    /// <summary>
    /// Sends mutated PDU streams (bit flips, truncations, spliced lengths) at a running listener, a bounded number
    /// of connections each closed by us or by the listener, then checks a normal association still works and
    /// no association is left open.
    /// </summary>
    [Fact]
    public async Task MutatedPdus_NeverStopTheListenerFromServing()
    {
        await using var scp = new TestListener(configure: o => o.Association.ArtimTimeout = TimeSpan.FromMilliseconds(500));
        var connections = await SendCorpusAsync(scp.Port, client => Task.FromResult<Stream>(client.GetStream()));
        Assert.True(connections >= 50, $"only {connections} fuzz connections ran");
        await using var association = await scp.ConnectAsync();
        await association.SendMessageAsync(1, new byte[] { 9 }, null, TestListener.Timeout.Token);
        await association.ReleaseAsync();
        Assert.Equal(0, await WaitForIdleAsync(scp));
    }

    /// <summary>
    /// The corpus: up to 200 connections (20 s at most) each sending a mutated PDU stream through the stream that
    /// <paramref name="open"/> makes of the connection (plain TCP, or TLS), then reading until the listener closes.
    /// </summary>
    internal static async Task<int> SendCorpusAsync(int port, Func<TcpClient, Task<Stream>> open)
    {
        var random = new Random(20261128);
        var request = SamplePdus.Request().ToArray();
        var valid = new[]
        {
            request,
            SamplePdus.Data().ToArray(),
            new DataTransferPdu([new PresentationDataValue(3, true, true, new(new byte[] { 1, 2, 3 }))]).ToArray(),
            new DataTransferPdu([new PresentationDataValue(3, false, true, new(new byte[64]))]).ToArray(),
            ReleaseRequestPdu.Instance.ToArray(),
            new AbortPdu(AbortSource.ServiceUser, AbortReason.NotSpecified).ToArray(),
        };
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var connections = 0;
        for (; connections < 200 && DateTime.UtcNow < deadline; connections++)
        {
            var stream = new List<byte>();
            if (random.Next(3) > 0)
            {
                stream.AddRange(request);
            }

            for (var i = random.Next(1, 4); i > 0; i--)
            {
                stream.AddRange(valid[random.Next(valid.Length)]);
            }

            var bytes = stream.ToArray();
            Mutate(bytes, random);
            if (random.Next(4) == 0)
            {
                bytes = bytes[..random.Next(bytes.Length)];
            }

            using var client = new TcpClient { NoDelay = true };
            await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
            try
            {
                await using var net = await open(client);
                await net.WriteAsync(bytes);
                client.Client.Shutdown(SocketShutdown.Send);
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                var sink = new byte[4096];
                while (await net.ReadAsync(sink, cts.Token) > 0)
                {
                }
            }
            catch (IOException)
            {
                // The listener closed on us mid-write: that is an allowed answer to garbage.
            }
        }

        return connections;
    }

    private static void Mutate(byte[] bytes, Random random)
    {
        switch (random.Next(3))
        {
            case 0:
                for (var i = random.Next(1, 6); i > 0; i--)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }

                break;
            case 1:
                // A length field (bytes 2-5 of some PDU header or an item length) set to something wild.
                var at = random.Next(Math.Max(1, bytes.Length - 4));
                bytes[at] = 0xFF;
                bytes[Math.Min(bytes.Length - 1, at + 1)] = (byte)random.Next(256);
                break;
            default:
                bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                break;
        }
    }

    internal static async Task<int> WaitForIdleAsync(TestListener scp)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (scp.Listener.ActiveAssociations > 0 && !cts.IsCancellationRequested)
        {
            // Drain closure notifications: each one is an association that has ended.
            await scp.Closures.Reader.ReadAsync(cts.Token);
        }

        return scp.Listener.ActiveAssociations;
    }
}
