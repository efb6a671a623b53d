using System.Buffers;
using System.Text;
using System.Text.Json;
using MiniGptMed.DicomNode.Jobs;
using MiniGptMed.DicomNode.Tests.Assembly;
using MiniGptMed.DicomNode.Tests.Support;
using MiniGptMed.DicomNode.Worklist.Hl7;
using MiniGptMed.DicomNode.Worklist.Notices;
using MiniGptMed.DicomNode.Worklist.Triage;

namespace MiniGptMed.DicomNode.Tests.Worklist;

/// <summary>The ORU^R01 writer and the MLLP client, read and answered by Debian's python3-hl7 (parser and hl7.mllp server).</summary>
public sealed class Hl7Tests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private static readonly Notice Tricky = new()
    {
        CalledAe = "NODE",
        GroupUid = "1.2.3.4",
        StudyInstanceUid = "1.2.3.4",
        Version = 42,
        AccessionNumber = "ACC|1^2",
        PatientId = "PID~7&8",
        IssuerOfPatientId = "HOSP\\A",
        PatientName = "Müller-Ødegård^Zoë^Anne^Dr^III=山田^太郎",
        PatientBirthDate = "19700102",
        PatientSex = "F",
        Modality = "CR",
        Priority = TriagePriority.Stat,
        Summary = "STAT: pneumothorax 91% (rule ptx)",
        Narrative = "Line one | pipe ^ caret ~ tilde \\ backslash & amp.\r\nLine two: 肺に気胸あり.\nLine three.",
        Findings =
        [
            new TriageFinding("pneumothorax", "36118008", "SCT", "Pneumothorax", 0.9134, 1),
            new TriageFinding("odd & thing", "ODD", "99MGMED", "Odd|thing", null, 0),
        ],
        AnalysedAt = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(1)),
    };

    private static readonly Hl7Options Options = new() { Host = "127.0.0.1", SendingFacility = "RAD&1", ReceivingFacility = "HOSP" };

    [Theory]
    [InlineData("a|b", @"a\F\b")]
    [InlineData("a^b~c&d", @"a\S\b\R\c\T\d")]
    [InlineData(@"C:\x", @"C:\E\x")]
    [InlineData("one\r\ntwo\nthree\rfour", "one two three four")]
    [InlineData("tab\there\u0001", "tab here")]
    public void Escape_ReplacesEveryDelimiter(string value, string expected) => Assert.Equal(expected, Hl7Escaping.Escape(value));

    [Fact]
    public void Escape_InFormattedText_MakesLineBreaksBr() =>
        Assert.Equal(@"one\.br\two\.br\three", Hl7Escaping.Escape("one\r\ntwo\nthree", formattedText: true));

    [Fact]
    public async Task OruR01_ParsedByPythonHl7_GivesBackEveryFieldEscapeAndCharacter()
    {
        var message = OruR01Writer.Write(Tricky, Options, Tricky.AnalysedAt);
        var path = _dir["oru.hl7"];
        await File.WriteAllTextAsync(path, message, new UTF8Encoding(false));
        var probe = await ExternalProcess.RunAsync(TestPaths.Python, [Path.Combine(AppContext.BaseDirectory, "Support", "hl7_probe.py"), "parse", path]);
        Assert.True(probe.ExitCode == 0, probe.StandardError);
        using var doc = JsonDocument.Parse(probe.StandardOutput);
        var parsed = doc.RootElement.GetProperty(path);
        var segments = parsed.GetProperty("segments").EnumerateArray().ToList();

        Assert.Equal(["MSH", "PID", "ORC", "OBR", "TQ1", "OBX", "OBX", "OBX", "OBX", "OBX"], segments.Select(s => s.GetProperty("name").GetString()));
        Assert.Equal(NoticeIds.ControlId("1.2.3.4", 42), parsed.GetProperty("control_id").GetString());
        Assert.Equal("UNICODE UTF-8", parsed.GetProperty("charset").GetString());

        string Component(int segment, int field, int component = 0, int repetition = 0, int sub = 0) =>
            segments[segment].GetProperty("fields").GetProperty(field.ToString(System.Globalization.CultureInfo.InvariantCulture))[repetition][component][sub].GetString()!;

        // MSH: python-hl7 counts MSH-1 as the field separator, as the standard does.
        Assert.Equal("RAD&1", Component(0, 4));
        Assert.Equal("ORU", Component(0, 9, 0));
        Assert.Equal("R01", Component(0, 9, 1));
        Assert.Equal("2.5.1", Component(0, 12));
        // PID-3 CX with its assigning authority; PID-5 XPN reordered from DICOM PN; only the first PN group.
        Assert.Equal("PID~7&8", Component(1, 3, 0));
        Assert.Equal("HOSP\\A", Component(1, 3, 3));
        Assert.Equal(["Müller-Ødegård", "Zoë", "Anne", "III", "Dr"], Enumerable.Range(0, 5).Select(i => Component(1, 5, i)));
        Assert.Equal("ACC|1^2", Component(2, 2));
        Assert.Equal("1.2.3.4", Component(3, 3, 0));
        Assert.Equal("P", Component(3, 25));
        Assert.Equal("S", Component(3, 27, 5));
        Assert.Equal("S", Component(4, 9, 0));
        Assert.Equal("HL70485", Component(4, 9, 2));

        // OBX: finding CWE, its certainty NM in %, the second finding (no confidence), the narrative FT, the summary.
        Assert.Equal("CWE", Component(5, 2));
        Assert.Equal("121071", Component(5, 3, 0));
        Assert.Equal("36118008", Component(5, 5, 0));
        Assert.Equal("SCT", Component(5, 5, 2));
        Assert.Equal("1", Component(5, 4));
        Assert.Equal("NM", Component(6, 2));
        Assert.Equal("91.34", Component(6, 5));
        Assert.Equal("%", Component(6, 6, 0));
        Assert.Equal("1", Component(6, 4));
        Assert.Equal("Odd|thing", Component(7, 5, 1));
        Assert.Equal("odd & thing", Component(7, 5, 4));
        Assert.Equal("2", Component(7, 4));
        Assert.Equal("FT", Component(8, 2));
        Assert.Equal("Line one | pipe ^ caret ~ tilde \\ backslash & amp.\rLine two: 肺に気胸あり.\rLine three.", Component(8, 5));
        Assert.Equal("STAT: pneumothorax 91% (rule ptx)", Component(9, 5));
        Assert.All(segments.Skip(5), s => Assert.Equal("P", s.GetProperty("fields").GetProperty("11")[0][0][0].GetString()));
    }

    [Fact]
    public void ControlId_IsStablePerStudyVersion_AndFitsMsh10()
    {
        var a = OruR01Writer.Write(Tricky, Options, DateTimeOffset.UtcNow);
        var b = OruR01Writer.Write(Tricky, Options, DateTimeOffset.UtcNow.AddHours(1));
        Assert.Equal(a.Split('|')[9], b.Split('|')[9]);
        Assert.NotEqual(NoticeIds.ControlId("1.2.3.4", 42), NoticeIds.ControlId("1.2.3.4", 43));
        Assert.NotEqual(NoticeIds.ControlId("1.2.3.4", 42), NoticeIds.ControlId("1.2.3.5", 42));
        Assert.InRange(NoticeIds.ControlId("1.2.3.4", long.MaxValue).Length, 1, 20);
    }

    [Fact]
    public async Task Hl7MllpServer_AnsweringAaAeAr_GivesDoneRetryAndDeadLetter()
    {
        await using var server = await Hl7Server.StartAsync("AA", "AE", "AR");
        var channel = new Hl7Channel(new StaticMonitor<WorklistOptions>(new WorklistOptions { Hl7 = new Hl7Options { Host = "127.0.0.1", Port = server.Port } }), TimeProvider.System);

        await channel.SendAsync(Tricky, CancellationToken.None);
        var retry = await Assert.ThrowsAsync<NoticeRetryException>(() => channel.SendAsync(Tricky, CancellationToken.None));
        Assert.Contains("AE", retry.Message, StringComparison.Ordinal);
        var reject = await Assert.ThrowsAsync<PermanentJobFailureException>(() => channel.SendAsync(Tricky, CancellationToken.None));
        Assert.Contains("rejected", reject.Message, StringComparison.Ordinal);

        var received = new[] { await server.NextAsync(), await server.NextAsync(), await server.NextAsync() };
        Assert.Equal(["AA", "AE", "AR"], received.Select(r => r.Ack));
        Assert.All(received, r => Assert.Equal(NoticeIds.ControlId(Tricky.StudyInstanceUid, Tricky.Version), r.ControlId));
        Assert.Contains("肺に気胸あり", received[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotifyJob_AfterTwoAeAnswers_IsDeliveredOnce_WithOneControlId()
    {
        await using var server = await Hl7Server.StartAsync("AE", "AE", "AA");
        await using var bed = await NotifyBed.StartAsync(new WorklistOptions { Hl7 = new Hl7Options { Host = "127.0.0.1", Port = server.Port, Retries = 3, RetryDelayMilliseconds = 10 } });
        await bed.AnalysedAsync(7, new TriageFinding("pneumothorax", "36118008", "SCT", "Pneumothorax", 0.9, 1));
        // The analyse job run again (its worker died after the enqueue): the same key, no second notify job.
        await bed.AnalysedAsync(7, new TriageFinding("pneumothorax", "36118008", "SCT", "Pneumothorax", 0.9, 1));
        Assert.Single(await bed.Database.Jobs.ListAsync(new JobQuery { Kinds = [JobKinds.Notify] }));

        Assert.Equal(JobState.Succeeded, await bed.RunOneAsync());

        var received = new[] { await server.NextAsync(), await server.NextAsync(), await server.NextAsync() };
        Assert.Equal(["AE", "AE", "AA"], received.Select(r => r.Ack));
        Assert.Single(received.Select(r => r.ControlId).Distinct());
        Assert.Equal(TriagePriority.Stat, (await bed.Database.Triage.GetAsync("NODE", NotifyBed.Study))!.Priority);
    }

    [Fact]
    public async Task NotifyJob_RejectedWithAr_IsDeadLettered_AndJobsRetrySendsItAgain()
    {
        await using var server = await Hl7Server.StartAsync("AR", "AA");
        await using var bed = await NotifyBed.StartAsync(new WorklistOptions { Hl7 = new Hl7Options { Host = "127.0.0.1", Port = server.Port, Retries = 3, RetryDelayMilliseconds = 10 } });
        await bed.AnalysedAsync(8);

        Assert.Equal(JobState.DeadLetter, await bed.RunOneAsync());
        Assert.Equal("AR", (await server.NextAsync()).Ack);
        var job = Assert.Single(await bed.Database.Jobs.ListAsync(new JobQuery { Kinds = [JobKinds.Notify] }));
        Assert.Contains("rejected", job.Errors.Single().Message, StringComparison.Ordinal);

        Assert.True(await bed.Database.Jobs.RetryAsync(job.Id)); // what `minigptmed jobs retry <id>` does
        Assert.Equal(JobState.Succeeded, await bed.RunOneAsync());
        Assert.Equal("AA", (await server.NextAsync()).Ack);
    }

    [Fact]
    public void MllpBlock_EveryPrefixIsIncomplete_AndTheWholeIsOneMessage()
    {
        var framed = MllpFraming.Frame(Encoding.UTF8.GetBytes("MSH|^~\\&|A\rMSA|AA|1\r"));
        for (var n = 0; n < framed.Length; n++)
        {
            var prefix = new ReadOnlySequence<byte>(framed, 0, n);
            Assert.False(MllpFraming.TryReadBlock(ref prefix, 1024, out _));
            Assert.Equal(n, prefix.Length);
        }

        var whole = new ReadOnlySequence<byte>([(byte)'\n', .. framed]);
        Assert.True(MllpFraming.TryReadBlock(ref whole, 1024, out var block));
        Assert.Equal("MSH|^~\\&|A\rMSA|AA|1\r", Encoding.UTF8.GetString(block));
        Assert.Equal(0, whole.Length);
    }

    [Fact]
    public void MllpBlock_LongerThanTheLimit_IsRefusedBeforeItsEnd()
    {
        var body = new byte[2000];
        Array.Fill(body, (byte)'A');
        var partial = new ReadOnlySequence<byte>([MllpFraming.StartBlock, .. body]);
        Assert.Throws<InvalidDataException>(() => MllpFraming.TryReadBlock(ref partial, 1024, out _));
        var badTrailer = new ReadOnlySequence<byte>([MllpFraming.StartBlock, (byte)'A', MllpFraming.EndBlock, (byte)'X']);
        Assert.Throws<InvalidDataException>(() => MllpFraming.TryReadBlock(ref badTrailer, 1024, out _));
    }

    [Fact]
    public void Ack_ReadsMsaAndErrText()
    {
        var ack = Hl7Ack.Parse("MSH|^~\\&|RIS||MGM||20260101||ACK^R01^ACK|9|P|2.5.1\rMSA|AE|MGM1\rERR|||207^Application internal error^HL70357|E||||Busy\r")!;
        Assert.Equal("AE", ack.Code);
        Assert.Equal("MGM1", ack.ControlId);
        Assert.Equal("Busy", ack.Text);
        Assert.False(ack.Accepted);
        Assert.False(ack.Rejected);
        Assert.Null(Hl7Ack.Parse("MSH|^~\\&|X\r"));
    }

    public void Dispose() => _dir.Dispose();
}
