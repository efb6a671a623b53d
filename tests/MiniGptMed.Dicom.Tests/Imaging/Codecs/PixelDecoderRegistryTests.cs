using Microsoft.Extensions.Logging;
using MiniGptMed.Dicom.Imaging.Codecs;

namespace MiniGptMed.Dicom.Tests.Imaging.Codecs;

public sealed class PixelDecoderRegistryTests
{
    [Fact]
    public void Default_OffersEveryFamilyWhenTheDebianLibrariesArePresent()
    {
        var registry = PixelDecoderRegistry.Default;
        Assert.Empty(registry.Unavailable);
        foreach (var uid in new[] { "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.5", "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.70", "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91" })
        {
            Assert.True(registry.CanDecode(uid), uid);
        }

        Assert.False(registry.CanDecode("1.2.840.10008.1.2.4.100")); // MPEG2: never offered
    }

    [Fact]
    public void MissingLibrary_IsReportedOnce_AndItsSyntaxesAreNotOffered()
    {
        var logger = new CountingLogger();
        var registry = new PixelDecoderRegistry(
            [new RleLosslessDecoder(), new CharLsJpegLsDecoder("libcharls-not-installed.so.9"), new OpenJpegJ2kDecoder()], logger);

        var missing = Assert.Single(registry.Unavailable);
        Assert.Contains("libcharls-not-installed.so.9", missing.Reason, StringComparison.Ordinal);
        Assert.False(registry.CanDecode(CharLsJpegLsDecoder.LosslessUid));
        Assert.False(registry.CanDecode(CharLsJpegLsDecoder.NearLosslessUid));
        Assert.True(registry.CanDecode(OpenJpegJ2kDecoder.LosslessUid));
        Assert.True(registry.CanDecode(RleLosslessDecoder.TransferSyntaxUid));
        Assert.DoesNotContain(CharLsJpegLsDecoder.LosslessUid, registry.DecodableTransferSyntaxes);
        Assert.Equal(1, logger.Warnings);
    }

    private sealed class CountingLogger : ILogger
    {
        public int Warnings { get; private set; }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning)
            {
                Warnings++;
            }
        }
    }
}
