using MiniGptMed.Dicom.Composition;
using MiniGptMed.Dicom.Data;
using MiniGptMed.DicomNode.Cli;

namespace MiniGptMed.DicomNode.Results;

/// <summary>
/// Configuration section <c>Results</c>: who the results say made them (PS3.3 C.7.5.1 General Equipment, and the
/// Device observer of the SR, TID 1004). Every value has a default, so an unconfigured node writes valid objects.
/// </summary>
internal sealed class ResultsOptions
{
    public const string Section = "Results";

    /// <summary>Device UID; default: derived from the host name, so one machine always gives the same (deterministic results).</summary>
    public string? DeviceUid { get; set; }

    public string DeviceName { get; set; } = "MINIGPTMED";

    public string Manufacturer { get; set; } = "MiniGPT-Med DICOM Node";

    public string ModelName { get; set; } = "MiniGPT-Med DICOM Node";

    /// <summary>Device Serial Number; default: the host name (at most 64 characters).</summary>
    public string? SerialNumber { get; set; }

    /// <summary>Problems with the values, each naming its key (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (DeviceUid is { } uid && !DicomUid.IsValid(uid))
        {
            errors.Add($"{Section}:DeviceUid '{uid}' is not a valid UID (PS3.5 9.1)");
        }

        foreach (var (key, value) in new[] { ("DeviceName", DeviceName), ("Manufacturer", Manufacturer), ("ModelName", ModelName), ("SerialNumber", SerialNumber) })
        {
            // PS3.5 Table 6.2-1: LO, 64 characters, no backslash or control characters.
            if (value is not null && (value.Length > 64 || value.Any(c => c == '\\' || char.IsControl(c))))
            {
                errors.Add($"{Section}:{key} must be at most 64 characters without '\\' or control characters");
            }
        }

        return errors;
    }

    public DeviceIdentity ToDeviceIdentity()
    {
        var host = Environment.MachineName;
        var serial = SerialNumber ?? (host.Length <= 64 ? host : host[..64]);
        return new DeviceIdentity(
            DeviceUid ?? ResultUids.Derive("minigptmed-device/" + host),
            DeviceName,
            Manufacturer,
            ModelName,
            serial,
            BuildVersion.Informational.Length <= 64 ? BuildVersion.Informational : BuildVersion.Informational[..64]);
    }
}
