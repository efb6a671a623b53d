namespace MiniGptMed.Dicom.Composition;

/// <summary>
/// The device that creates derived objects: what General Equipment (PS3.3 C.7.5.1) and an SR Device observer
/// (TID 1004) say about it. The node fills it from configuration.
/// </summary>
public sealed record DeviceIdentity(
    string DeviceUid,
    string Name,
    string Manufacturer,
    string ModelName,
    string SerialNumber,
    string SoftwareVersion);
