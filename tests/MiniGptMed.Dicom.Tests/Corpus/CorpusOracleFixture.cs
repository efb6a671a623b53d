using MiniGptMed.Dicom.Tests.Support;

namespace MiniGptMed.Dicom.Tests.Corpus;

/// <summary>pydicom's view of the whole corpus, computed once for the test class.</summary>
public sealed class CorpusOracleFixture : IAsyncLifetime
{
    public PydicomOracle Oracle { get; private set; } = null!;

    /// <summary>
    /// Files pydicom reads although they are cut short: it returns the truncated value, we reject the
    /// file with a DicomFormatException naming the element and offset (a truncated value is bad input,
    /// not data).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Truncated = new Dictionary<string, string>
    {
        ["MR_truncated.dcm"] = "Pixel Data declares 8192 bytes, 8130 remain",
        ["rtplan_truncated.dcm"] = "a sequence declares 976 bytes, 711 remain",
    };

    public async Task InitializeAsync() => Oracle = await PydicomOracle.ReadAsync(TestPaths.CorpusFiles());

    public Task DisposeAsync() => Task.CompletedTask;
}
