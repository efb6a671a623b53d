using MiniGptMed.DicomNode.Tests.Support;

namespace MiniGptMed.DicomNode.Tests.Results;

public sealed class ResultsSourcesTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task JapaneseSource_IsIso2022Ir87_AndPydicomDecodesTheName()
    {
        var folder = ResultsSources.Create("japanese", _dir["jp"]);
        var path = Directory.GetFiles(folder).Single();

        var decoded = await ExternalProcess.PythonAsync(
            "import sys, pydicom; ds = pydicom.dcmread(sys.argv[1]); sys.stdout.buffer.write((str(ds.PatientName) + '|' + '\\\\'.join(ds.SpecificCharacterSet)).encode('utf-8'))", path);

        Assert.Equal(ResultsSources.JapaneseName + "|\\ISO 2022 IR 87", decoded);
    }

    public void Dispose() => _dir.Dispose();
}
