using System.Buffers.Binary;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.Network.Association;
using MiniGptMed.Dicom.Network.Dimse;
using MiniGptMed.Dicom.Network.Pdu;
using MiniGptMed.Dicom.Tests.Network.Association;

namespace MiniGptMed.Dicom.Tests.Network.Dimse;

/// <summary>Sends hand-made data sets on one association, exactly as given, and returns each response status.</summary>
internal sealed class RawStore : IAsyncDisposable
{
    public const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";
    public const string ExplicitLittle = "1.2.840.10008.1.2.1";
    public const string Rle = "1.2.840.10008.1.2.5";

    private readonly DicomAssociation _association;
    private readonly RecordingHandler _handler;
    private ushort _messageId;

    private RawStore(DicomAssociation association, RecordingHandler handler)
    {
        _association = association;
        _handler = handler;
    }

    public DicomAssociation Association => _association;

    public static async Task<RawStore> OpenAsync(int port, string syntax = ExplicitLittle, string sopClass = CtImageStorage)
    {
        var handler = new RecordingHandler();
        var proposal = new AssociationProposal("MINIGPTMED", "RAWSCU", [new PresentationContextRequestItem(1, sopClass, [syntax])]);
        return new RawStore(await DicomAssociation.ConnectAsync("127.0.0.1", port, proposal, handler), handler);
    }

    public async Task<DimseCommand> SendAsync(string sopClass, string sopInstance, byte[] dataSet)
    {
        var id = ++_messageId;
        // A misbehaving peer's UID goes on the wire as it is: the raw element path, which the checked setters refuse.
        var command = DimseCommand.StoreRequest(id, sopClass, "1.2.3");
        var uid = System.Text.Encoding.ASCII.GetBytes(sopInstance.Length % 2 == 0 ? sopInstance : sopInstance + "\0");
        command.Dataset.AddOrUpdate(new DicomValueElement(DicomTags.AffectedSOPInstanceUID, DicomVR.UI, DicomBuffer.FromBytes(uid)));
        await _association.SendMessageAsync(1, command.Encode(), new MemoryStream(dataSet), default);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var response = DimseCommand.Decode(await _handler.CommandArrivals.Reader.ReadAsync(cts.Token));
        Assert.Equal(id, response.MessageIdBeingRespondedTo);
        return response;
    }

    public async ValueTask DisposeAsync()
    {
        await _association.ReleaseAsync();
        await _association.DisposeAsync();
    }

    /// <summary>An image's attributes in explicit VR little endian, without Pixel Data.</summary>
    public static DicomDataset Image(string uid, int rows, int columns, int bitsAllocated, int samples = 1, int? frames = null)
    {
        var dataset = new DicomDataset()
            .AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, CtImageStorage)
            .AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, uid)
            // Type 1 in every storage IOD, and the store's folders (instances/<study>/<series>/).
            .AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, "1.2.826.0.1.3680043.10.1484.7.1")
            .AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, "1.2.826.0.1.3680043.10.1484.7.1.1")
            .AddOrUpdate<ushort>(DicomTags.SamplesPerPixel, DicomVR.US, (ushort)samples)
            .AddOrUpdate(DicomTags.PhotometricInterpretation, DicomVR.CS, samples == 3 ? "RGB" : "MONOCHROME2")
            .AddOrUpdate<ushort>(DicomTags.Rows, DicomVR.US, (ushort)rows)
            .AddOrUpdate<ushort>(DicomTags.Columns, DicomVR.US, (ushort)columns)
            .AddOrUpdate<ushort>(DicomTags.BitsAllocated, DicomVR.US, (ushort)bitsAllocated)
            .AddOrUpdate<ushort>(DicomTags.BitsStored, DicomVR.US, (ushort)bitsAllocated)
            .AddOrUpdate<ushort>(DicomTags.HighBit, DicomVR.US, (ushort)(bitsAllocated - 1))
            .AddOrUpdate<ushort>(DicomTags.PixelRepresentation, DicomVR.US, 0);
        if (frames is { } n)
        {
            dataset.AddOrUpdate(DicomTags.NumberOfFrames, DicomVR.IS, n.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return dataset;
    }

    /// <summary>The data set followed by native Pixel Data of exactly <paramref name="pixelLength"/> bytes (odd lengths too, as a careless sender writes them).</summary>
    public static byte[] WithNativePixels(DicomDataset dataset, int pixelLength, string trailer = "")
    {
        using var output = new MemoryStream();
        DicomDatasetWriter.Write(output, dataset, DicomTransferSyntax.ExplicitVRLittleEndian);
        // PS3.5 7.1.2: tag, VR, two reserved bytes, 32-bit length.
        output.Write([0xE0, 0x7F, 0x10, 0x00, (byte)'O', (byte)'W', 0, 0]);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)pixelLength);
        output.Write(length);
        output.Write(new byte[pixelLength]);
        return output.ToArray();
    }

    /// <summary>The data set followed by encapsulated Pixel Data (PS3.5 A.4): an empty offset table and the given fragments.</summary>
    public static byte[] WithFragments(DicomDataset dataset, int fragments)
    {
        using var output = new MemoryStream();
        DicomDatasetWriter.Write(output, dataset, DicomTransferSyntax.ExplicitVRLittleEndian);
        output.Write([0xE0, 0x7F, 0x10, 0x00, (byte)'O', (byte)'B', 0, 0, 0xFF, 0xFF, 0xFF, 0xFF]);
        output.Write([0xFE, 0xFF, 0x00, 0xE0, 0, 0, 0, 0]);
        for (var i = 0; i < fragments; i++)
        {
            output.Write([0xFE, 0xFF, 0x00, 0xE0, 64, 0, 0, 0]);
            output.Write(new byte[64]);
        }

        output.Write([0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0]);
        return output.ToArray();
    }
}
