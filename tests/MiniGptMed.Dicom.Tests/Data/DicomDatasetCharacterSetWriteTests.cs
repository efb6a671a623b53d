using System.Text.Json;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.Tests.Support;

namespace MiniGptMed.Dicom.Tests.Data;

/// <summary>
/// Text is never lost to a character set: it is refused with a clear error, or transcoded when the
/// set in force changes (a new Specific Character Set, an item attached, a value copied from another
/// data set). pydicom reads what was written (issue #9, item 7).
/// </summary>
public sealed class DicomDatasetCharacterSetWriteTests
{
    private const string Japanese = "Yamada^Tarou=山田^太郎=やまだ^たろう";

    [Fact]
    public void NonAsciiText_WithoutSpecificCharacterSet_IsAnErrorNamingTagAndSet_NotQuestionMarks()
    {
        var ds = new DicomDataset();

        var ex = Assert.Throws<DicomDataException>(() => ds.AddOrUpdate(DicomTags.PatientName, DicomVR.PN, "Müller^Jürgen"));

        Assert.Equal(DicomTags.PatientName, ex.Tag);
        Assert.Contains("(0010,0010) PatientName PN", ex.Message, StringComparison.Ordinal);
        Assert.Contains("the default repertoire cannot hold", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ISO_IR 192", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Müller", ex.Message, StringComparison.Ordinal);
        Assert.False(ds.Contains(DicomTags.PatientName));
    }

    [Fact]
    public void Text_ACharacterSetLacks_IsAnError_UnderADeclaredSetToo()
    {
        var ds = new DicomDataset().AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 100");

        var ex = Assert.Throws<DicomDataException>(() => ds.AddOrUpdate(DicomTags.StudyDescription, DicomVR.LO, "胸部"));

        Assert.Contains("'ISO_IR 100' cannot hold", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SettingSpecificCharacterSet_TranscodesTheTextAlreadyThere()
    {
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 100")
            .AddOrUpdate(DicomTags.PatientName, DicomVR.PN, "Müller^Jürgen");
        Assert.Equal(14, Raw(ds, DicomTags.PatientName).Length);
        Assert.Equal(0xFC, Raw(ds, DicomTags.PatientName)[1]);

        ds.AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192");

        Assert.Equal("Müller^Jürgen "u8.ToArray(), Raw(ds, DicomTags.PatientName));
        Assert.Equal("Müller^Jürgen", ds.GetString(DicomTags.PatientName));
    }

    [Fact]
    public void SettingASpecificCharacterSetThatCannotHoldTheText_IsAnError_AndChangesNothing()
    {
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192")
            .AddOrUpdate(DicomTags.PatientName, DicomVR.PN, Japanese);

        var ex = Assert.Throws<DicomDataException>(() => ds.AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 100"));
        var unknown = Assert.Throws<DicomDataException>(() => ds.AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 999"));

        Assert.Equal(DicomTags.PatientName, ex.Tag);
        Assert.Contains("ISO_IR 999", unknown.Message, StringComparison.Ordinal);
        Assert.Equal("ISO_IR 192", ds.GetString(DicomTags.SpecificCharacterSet));
        Assert.Equal(Japanese, ds.GetString(DicomTags.PatientName));
    }

    [Fact]
    public void ItemAddedThroughItems_AfterTheSequenceIsAttached_UsesTheParentsCharacterSet()
    {
        var ds = Utf8Dataset();
        var sequence = new DicomSequence(DicomTags.ConceptNameCodeSequence);
        ds.AddOrUpdate(sequence);
        var item = new DicomDataset();

        sequence.Items.Add(item);
        item.AddOrUpdate(DicomTags.CodeMeaning, DicomVR.LO, "Ödem");

        Assert.Same(ds, item.Parent);
        Assert.Equal("Ödem "u8.ToArray(), Raw(item, DicomTags.CodeMeaning));
    }

    [Fact]
    public void ItemFilledInAnotherCharacterSet_IsTranscodedWhenAttached()
    {
        var latin1 = new DicomDataset().AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 100");
        var draft = new DicomSequence(DicomTags.ConceptNameCodeSequence);
        latin1.AddOrUpdate(draft);
        var item = new DicomDataset();
        draft.Items.Add(item);
        item.AddOrUpdate(DicomTags.CodeMeaning, DicomVR.LO, "Ödem");
        Assert.Equal(0xD6, Raw(item, DicomTags.CodeMeaning)[0]);
        draft.Items.Remove(item);

        var ds = Utf8Dataset().AddOrUpdate(new DicomSequence(DicomTags.ConceptNameCodeSequence, [item]));

        Assert.Same(ds, item.Parent);
        Assert.Equal("Ödem "u8.ToArray(), Raw(item, DicomTags.CodeMeaning));
    }

    [Fact]
    public void DetachedItem_WithNonAsciiText_IsRefusedWithAHint_NotWrittenAsQuestionMarks()
    {
        var item = new DicomDataset();

        var ex = Assert.Throws<DicomDataException>(() => item.AddOrUpdate(DicomTags.CodeMeaning, DicomVR.LO, "Ödem"));

        Assert.Contains("add it to its sequence first", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Item_AlreadyInASequence_CannotBeSharedWithAnother()
    {
        var item = new DicomDataset().AddOrUpdate(DicomTags.CodeValue, DicomVR.SH, "123");
        var first = new DicomSequence(DicomTags.ConceptNameCodeSequence, [item]);

        var ex = Assert.Throws<InvalidOperationException>(() => new DicomSequence(DicomTags.ConceptCodeSequence, [item]));
        var owner = new DicomDataset().AddOrUpdate(first);
        var shared = Assert.Throws<InvalidOperationException>(() => new DicomDataset().AddOrUpdate(first));

        Assert.Contains("Clone()", ex.Message, StringComparison.Ordinal);
        Assert.Contains("CopyFrom", shared.Message, StringComparison.Ordinal);
        Assert.Single(first.Items);
        Assert.Same(owner, item.Parent);
    }

    [Fact]
    public async Task ItemsUnderIsoIr192_AddedEveryWay_ArePydicomsUtf8Text()
    {
        var ds = Utf8Dataset()
            .AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, DicomUid.SecondaryCaptureImageStorage.Value)
            .AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, "2.25.1");

        // 1: filled after being added through the sequence's public Items list.
        var sequence = new DicomSequence(DicomTags.ConceptNameCodeSequence);
        ds.AddOrUpdate(sequence);
        var added = new DicomDataset();
        sequence.Items.Add(added);
        added.AddOrUpdate(DicomTags.CodeMeaning, DicomVR.LO, "Ödem");

        // 2: a sequence built first, attached afterwards, its item filled in ASCII then in German.
        var nested = new DicomDataset().AddOrUpdate(DicomTags.CodeValue, DicomVR.SH, "F-01");
        var built = new DicomSequence(DicomTags.ConceptCodeSequence, [nested]);
        ds.AddOrUpdate(built);
        nested.AddOrUpdate(DicomTags.CodeMeaning, DicomVR.LO, "Pleuraerguss rechts, Größe");

        // 3: an item inside an item.
        var inner = new DicomDataset();
        nested.AddOrUpdate(new DicomSequence(DicomTags.PurposeOfReferenceCodeSequence, [inner]));
        inner.AddOrUpdate(DicomTags.CodeMeaning, DicomVR.LO, "肺炎");

        using var temp = TestPaths.CreateTempDirectory();
        var path = temp.File("utf8-items.dcm");
        new DicomFile(new DicomDataset(), ds, DicomTransferSyntax.ExplicitVRLittleEndian).Save(path);
        var read = await PydicomValuesAsync(path,
            "[ds.ConceptNameCodeSequence[0].CodeMeaning, ds.ConceptCodeSequence[0].CodeMeaning, ds.ConceptCodeSequence[0].PurposeOfReferenceCodeSequence[0].CodeMeaning]");

        Assert.Equal(["Ödem", "Pleuraerguss rechts, Größe", "肺炎"], read);
    }

    [Fact]
    public void Clone_IsDeep_ForSequencesAndItems()
    {
        var item = new DicomDataset().AddOrUpdate(DicomTags.CodeValue, DicomVR.SH, "A");
        var original = new DicomDataset().AddOrUpdate(new DicomSequence(DicomTags.ConceptNameCodeSequence, [item]));

        var copy = original.Clone();
        var copiedSequence = copy.GetSequence(DicomTags.ConceptNameCodeSequence)!;
        copiedSequence.Items[0].AddOrUpdate(DicomTags.CodeValue, DicomVR.SH, "B");
        copiedSequence.Items.Add(new DicomDataset());

        Assert.Equal("A", item.GetString(DicomTags.CodeValue));
        Assert.Single(original.GetSequence(DicomTags.ConceptNameCodeSequence)!.Items);
        Assert.NotSame(original.GetSequence(DicomTags.ConceptNameCodeSequence), copiedSequence);
        Assert.Same(copy, copiedSequence.Items[0].Parent);
        Assert.Same(copy, copiedSequence.Owner);
    }

    [Fact]
    public void CopyFrom_JapaneseIso2022_ToIsoIr192_Transcodes()
    {
        var source = new DicomDataset()
            .AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, string.Empty, "ISO 2022 IR 87")
            .AddOrUpdate(DicomTags.PatientName, DicomVR.PN, Japanese)
            .AddOrUpdate(DicomTags.PatientID, DicomVR.LO, "12345");
        Assert.Contains((byte)0x1B, Raw(source, DicomTags.PatientName));
        var target = Utf8Dataset();

        target.CopyFrom(source, DicomTags.PatientName, DicomTags.PatientID, DicomTags.PatientBirthDate);

        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(Japanese), Raw(target, DicomTags.PatientName));
        Assert.Equal(Japanese, target.GetString(DicomTags.PatientName));
        Assert.Equal("12345", target.GetString(DicomTags.PatientID));
        Assert.False(target.Contains(DicomTags.PatientBirthDate));
    }

    [Fact]
    public void CopyFrom_Latin1WithSequences_ToIsoIr192_TranscodesNestedText()
    {
        var source = new DicomDataset().AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 100");
        var code = new DicomDataset();
        source.AddOrUpdate(new DicomSequence(DicomTags.ProcedureCodeSequence, [code]));
        code.AddOrUpdate(DicomTags.CodeMeaning, DicomVR.LO, "Thorax, Übersicht");
        var target = Utf8Dataset();

        target.CopyFrom(source, DicomTags.ProcedureCodeSequence);

        var copied = target.GetSequence(DicomTags.ProcedureCodeSequence)!.Items[0];
        Assert.Equal("Thorax, Übersicht"u8.ToArray(), Raw(copied, DicomTags.CodeMeaning));
        Assert.Same(target, copied.Parent);
        Assert.Equal(0xDC, Raw(code, DicomTags.CodeMeaning)[8]);
    }

    [Fact]
    public void CopyFrom_IntoASetThatCannotHoldTheText_IsAnError_AndCopiesNothing()
    {
        var source = new DicomDataset()
            .AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192")
            .AddOrUpdate(DicomTags.PatientID, DicomVR.LO, "12345")
            .AddOrUpdate(DicomTags.PatientName, DicomVR.PN, Japanese);
        var target = new DicomDataset();

        var ex = Assert.Throws<DicomDataException>(() => target.CopyFrom(source, DicomTags.PatientID, DicomTags.PatientName));

        Assert.Equal(DicomTags.PatientName, ex.Tag);
        Assert.Equal(0, target.Count);
    }

    [Fact]
    public async Task CopyFrom_PydicomsJapaneseCorpusFile_IntoIsoIr192_IsReadByPydicomAsTheSameName()
    {
        var original = Path.Combine(TestPaths.PydicomCharsetFiles, "chrH31.dcm");
        var source = DicomFile.Open(original).Dataset;
        var target = Utf8Dataset()
            .AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, DicomUid.SecondaryCaptureImageStorage.Value)
            .AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, "2.25.2")
            .CopyFrom(source, DicomTags.PatientName);
        using var temp = TestPaths.CreateTempDirectory();
        var path = temp.File("copied.dcm");
        new DicomFile(new DicomDataset(), target, DicomTransferSyntax.ExplicitVRLittleEndian).Save(path);

        var expected = await PydicomValuesAsync(original, "[str(ds.PatientName)]");
        var actual = await PydicomValuesAsync(path, "[str(ds.PatientName), ds.SpecificCharacterSet]");

        Assert.Equal(expected[0], actual[0]);
        Assert.Equal("ISO_IR 192", actual[1]);
        Assert.Contains("=", actual[0], StringComparison.Ordinal);
    }

    private static DicomDataset Utf8Dataset() =>
        new DicomDataset().AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192");

    /// <summary>pydicom's reading of <paramref name="path"/>: the strings of a Python list expression over <c>ds</c>.</summary>
    private static async Task<string[]> PydicomValuesAsync(string path, string expression)
    {
        var script = $"import json, sys, pydicom\nds = pydicom.dcmread(sys.argv[1])\nsys.stdout.write(json.dumps({expression}))";
        var output = await ExternalProcess.RunCheckedAsync(TestPaths.Python, ["-c", script, path]);
        return JsonSerializer.Deserialize<string[]>(output)!;
    }

    private static byte[] Raw(DicomDataset ds, DicomTag tag) =>
        ((DicomValueElement)ds.GetElement(tag)!).Buffer.GetMemory().ToArray();
}
