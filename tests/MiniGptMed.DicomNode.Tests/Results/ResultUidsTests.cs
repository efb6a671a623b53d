using MiniGptMed.Dicom.Data;
using MiniGptMed.DicomNode.Analysis;
using MiniGptMed.DicomNode.Results;
using MiniGptMed.DicomNode.Tests.Support;
using MiniGptMed.Inference.Model;

namespace MiniGptMed.DicomNode.Tests.Results;

public sealed class ResultUidsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void SameAnalysis_GivesTheSameUids_AndEachKindItsOwn()
    {
        SyntheticDicom.CtSeries(_dir["ct"], 2, 16, 16, new(8, 8, 3));
        var task = new AnalysisTask(MedTask.Detection, "nodule");
        var first = new ResultUids(InjectedAnalysis.Create(_dir["ct"], [(task, "<p>nodule</p> {<10><10><40><40>}")]));
        var second = new ResultUids(InjectedAnalysis.Create(_dir["ct"], [(task, "<p>nodule</p> {<10><10><40><40>}")]));

        Assert.Equal(first.SeriesUid(ResultKind.SR), second.SeriesUid(ResultKind.SR));
        Assert.Equal(first.InstanceUid(ResultKind.SC, "1.2.3"), second.InstanceUid(ResultKind.SC, "1.2.3"));
        string[] all = [first.SeriesUid(ResultKind.SR), first.SeriesUid(ResultKind.SC), first.SeriesUid(ResultKind.PR),
            first.InstanceUid(ResultKind.SR, null), first.InstanceUid(ResultKind.SC, "1.2.3"), first.InstanceUid(ResultKind.PR, "1.2.3")];
        Assert.Equal(all.Length, all.Distinct(StringComparer.Ordinal).Count());
        Assert.All(all, uid => Assert.True(DicomUid.IsValid(uid) && uid.StartsWith("2.25.", StringComparison.Ordinal), uid));
    }

    [Fact]
    public void AnotherTaskSetOrModel_GivesOtherUids()
    {
        SyntheticDicom.CtSeries(_dir["ct"], 1, 16, 16, new(8, 8, 3));
        var nodule = InjectedAnalysis.Create(_dir["ct"], [(new AnalysisTask(MedTask.Detection, "nodule"), "x")]);
        var mass = InjectedAnalysis.Create(_dir["ct"], [(new AnalysisTask(MedTask.Detection, "mass"), "x")]);
        var otherModel = nodule with { Model = new ModelIdentity("other", "sha256:1") };

        var uids = new[] { nodule, mass, otherModel }.Select(a => new ResultUids(a).SeriesUid(ResultKind.SR)).ToList();

        Assert.Equal(3, uids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Derive_IsAVersion5UuidUnder225()
    {
        var uid = ResultUids.Derive("name");
        var value = System.Numerics.BigInteger.Parse(uid["2.25.".Length..], System.Globalization.CultureInfo.InvariantCulture);
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        var uuid = new byte[16];
        bytes.CopyTo(uuid, 16 - bytes.Length);

        Assert.Equal(0x50, uuid[6] & 0xF0);
        Assert.Equal(0x80, uuid[8] & 0xC0);
        Assert.Equal(uid, ResultUids.Derive("name"));
        Assert.True(uid.Length <= 64);
    }

    public void Dispose() => _dir.Dispose();
}
