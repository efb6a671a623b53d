using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;
using static MiniGptMed.Dicom.Tests.IO.DicomFileReaderBadInputTests;

namespace MiniGptMed.Dicom.Tests.IO;

/// <summary>
/// Reading a data set from bytes in memory reads them in place (no copy) with a pooled buffer: the result must still
/// own its values, since the caller's bytes (a pooled audit header, a PDU buffer) are reused once it returns.
/// </summary>
public sealed class DicomFileReaderInPlaceTests
{
    [Fact]
    public void ReadDataset_FromASliceOfALargerArray_ReadsTheSliceAlone_AndKeepsItsValuesWhenTheBytesAreReused()
    {
        var dataset = Explicit(
            Element(0x0008, 0x0060, "CS", "CT"u8.ToArray()),
            Element(0x0010, 0x0020, "LO", "PID-0042"u8.ToArray()),
            Element(0x0020, 0x000D, "UI", "1.2.826.0.1.3680043.8.498.1\0"u8.ToArray()));
        // The slice sits between bytes that are no data element (0xFF...): reading past either end would throw.
        var holder = Enumerable.Repeat((byte)0xFF, 37).Concat(dataset).Concat(Enumerable.Repeat((byte)0xFF, 53)).ToArray();
        var copy = holder.ToArray();

        var read = DicomFileReader.ReadDataset(holder.AsMemory(37, dataset.Length), DicomTransferSyntax.ExplicitVRLittleEndian);

        Assert.Equal(copy, holder);
        Array.Fill(holder, (byte)0x20);
        Assert.Equal(3, read.Count);
        Assert.Equal("CT", read.GetString(DicomTags.Modality));
        Assert.Equal("PID-0042", read.GetString(DicomTags.PatientID));
        Assert.Equal("1.2.826.0.1.3680043.8.498.1", read.GetString(DicomTags.StudyInstanceUID));
    }

    [Fact]
    public void ReadDataset_ManyInTurn_EachGetsItsOwnValues()
    {
        // The readers share pooled buffers one after the other; no data set may see another's bytes.
        var results = Enumerable.Range(0, 50)
            .Select(i => DicomFileReader.ReadDataset(
                Explicit(Element(0x0010, 0x0020, "LO", System.Text.Encoding.ASCII.GetBytes($"P{i:D5}  "))).AsMemory(),
                DicomTransferSyntax.ExplicitVRLittleEndian))
            .ToList();

        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"P{i:D5}"), results.Select(r => r.GetString(DicomTags.PatientID)));
    }
}
