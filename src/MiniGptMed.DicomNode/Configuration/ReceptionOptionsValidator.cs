using System.Diagnostics.CodeAnalysis;
using System.Net;
using Microsoft.Extensions.Options;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.Network;

namespace MiniGptMed.DicomNode.Configuration;

/// <summary>Checks <see cref="ReceptionOptions"/>; every failure names its configuration key, all failures at once.</summary>
public sealed class ReceptionOptionsValidator : IValidateOptions<ReceptionOptions>
{
    public ValidateOptionsResult Validate(string? name, ReceptionOptions options)
    {
        const string S = ReceptionOptions.Section;
        var errors = new List<string>();
        Range(errors, $"{S}:Port", options.Port, 0, 65535);
        Range(errors, $"{S}:MaxAssociations", options.MaxAssociations, 1, 4096);
        // PS3.8 D.1: DCMTK accepts 4096..131072; larger PDUs only cost memory per association.
        Range(errors, $"{S}:MaxPduLength", options.MaxPduLength, 4096, 16 * 1024 * 1024);
        Range(errors, $"{S}:ArtimTimeoutSeconds", options.ArtimTimeoutSeconds, 1, 3600);
        Range(errors, $"{S}:IdleTimeoutSeconds", options.IdleTimeoutSeconds, 1, 86400);
        Range(errors, $"{S}:MaxAssociationsPerAddress", options.MaxAssociationsPerAddress, 1, 4096);
        Range(errors, $"{S}:MaxAssociationsPerCallingAe", options.MaxAssociationsPerCallingAe, 1, 4096);
        Range(errors, $"{S}:FirstMessageTimeoutSeconds", options.FirstMessageTimeoutSeconds, 1, 3600);
        Range(errors, $"{S}:ReleaseIdleWhenFullSeconds", options.ReleaseIdleWhenFullSeconds, 0, 86400);

        var titles = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.ListeningAes.Count; i++)
        {
            var title = options.ListeningAes[i].AeTitle;
            if (!AeTitle.IsValid(title))
            {
                errors.Add($"{S}:ListeningAes:{i}:AeTitle '{title}' is not an AE title ({AeTitle.Rule}).");
            }
            else if (!titles.Add(title.Trim()))
            {
                errors.Add($"{S}:ListeningAes:{i}:AeTitle '{title}' is listed twice.");
            }
        }

        for (var i = 0; i < options.Sources.Count; i++)
        {
            var source = options.Sources[i];
            if (source.AeTitle != Dicom.Network.Association.KnownSource.AnyAeTitle && !AeTitle.IsValid(source.AeTitle))
            {
                errors.Add($"{S}:Sources:{i}:AeTitle '{source.AeTitle}' is not an AE title ({AeTitle.Rule}) nor '*'.");
            }

            if (source.Addresses.Count == 0)
            {
                errors.Add($"{S}:Sources:{i}:Addresses is empty: list the IP addresses or CIDR networks it connects from.");
            }

            for (var j = 0; j < source.Addresses.Count; j++)
            {
                if (!TryParseNetwork(source.Addresses[j], out _))
                {
                    errors.Add($"{S}:Sources:{i}:Addresses:{j} '{source.Addresses[j]}' is not an IP address or CIDR network (host names are not resolved).");
                }
            }

            for (var j = 0; j < source.CalledAeTitles.Count; j++)
            {
                // Not checked against ListeningAes: `serve --aet` replaces those, and a source may be set up before its AE.
                if (!AeTitle.IsValid(source.CalledAeTitles[j]))
                {
                    errors.Add($"{S}:Sources:{i}:CalledAeTitles:{j} '{source.CalledAeTitles[j]}' is not an AE title ({AeTitle.Rule}).");
                }
            }
        }

        for (var i = 0; i < options.TransferSyntaxes.Count; i++)
        {
            var uid = options.TransferSyntaxes[i];
            if (DicomUid.Find(uid) is not { Type: DicomUidType.TransferSyntax })
            {
                errors.Add($"{S}:TransferSyntaxes:{i} '{uid}' is not a transfer syntax UID of PS3.6.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>An address (a one-host network) or CIDR network; a CIDR with host bits set is refused, as it is usually a typo.</summary>
    public static bool TryParseNetwork(string text, [NotNullWhen(true)] out IPNetwork network)
    {
        text = text.Trim();
        if (IPAddress.TryParse(text, out var address) && !text.Contains('/', StringComparison.Ordinal))
        {
            network = new IPNetwork(address, address.GetAddressBytes().Length * 8);
            return true;
        }

        // IPNetwork.TryParse masks host bits away (10.1.2.3/16 becomes 10.1.0.0/16); refuse them instead.
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return IPNetwork.TryParse(text, out network)
            && slash > 0 && IPAddress.TryParse(text.AsSpan(0, slash), out var written) && written.Equals(network.BaseAddress);
    }

    private static void Range(List<string> errors, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{key} is {value}; it must be {min}..{max}.");
        }
    }
}
