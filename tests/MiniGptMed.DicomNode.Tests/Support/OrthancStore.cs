using MiniGptMed.Dicom.Network;
using MiniGptMed.Dicom.Network.Dimse;

namespace MiniGptMed.DicomNode.Tests.Support;

public static class OrthancStore
{
    /// <summary>C-STORE of the files into Orthanc with the node's own SCU, calling AE MINIGPTMED.</summary>
    public static Task<IReadOnlyList<StoreOutcome>> StoreAsync(this OrthancServer orthanc, IEnumerable<string> paths) =>
        new DicomClient("127.0.0.1", orthanc.DicomPort, "MINIGPTMED", OrthancServer.AeTitle).StoreAsync(paths.Select(Part10Source.Probe).ToList());
}
