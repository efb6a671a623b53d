using System.Security.Cryptography;
using System.Text;

namespace MiniGptMed.DicomNode.Results;

/// <summary>
/// The Finding of a TID 1410 measurement group, from the phrase the model gave (<c>&lt;p&gt;nodule&lt;/p&gt;</c>).
/// Phrases the table knows get their SNOMED CT concept (scheme designator SCT, PS3.16 Section 8); every other phrase
/// gets a code of the node's own private scheme <see cref="PrivateScheme"/>, which the SR declares in its Coding
/// Scheme Identification Sequence (PS3.3 C.12.1.1.7): a DCM code is never invented.
/// </summary>
/// <remarks>
/// Codes and meanings checked against PS3.16 and public SNOMED CT releases: Mass 4147007 and Nodule 27925004 (CID 6104
/// Abnormal Opacity Finding or Feature), Pneumothorax 36118008 (CID 6105), Pleural effusion 60046008, Pneumonia
/// 233604007, Cardiomegaly 8186001, Lung consolidation 95436008, Atelectasis 46621007, Fracture of bone 125605004,
/// Neoplasm 108369006, Lesion 52988006. "lung nodule" and "pulmonary nodule" also map to Nodule 27925004: SNOMED CT's
/// 427359005 is "Solitary nodule of lung", which says more (one nodule) than the model's phrase does.
/// </remarks>
internal static class FindingCodes
{
    /// <summary>The node's private coding scheme (PS3.16 8.1: designators beginning "99" are private).</summary>
    public const string PrivateScheme = "99MINIGPTMED";

    /// <summary>How the SR's Coding Scheme Identification Sequence describes <see cref="PrivateScheme"/>.</summary>
    public const string PrivateSchemeName = "MiniGPT-Med DICOM Node finding phrases";

    public const string PrivateSchemeResponsibleOrganization = "MiniGPT-Med DICOM Node";

    private const string Sct = "SCT";

    // PS3.5 Table 6.2-1: Code Meaning is LO, 64 characters at most.
    private const int MaxMeaning = 64;

    private static readonly Dictionary<string, FindingCode> Known = Build(
        (["pneumonia"], "233604007", "Pneumonia"),
        (["pleural effusion", "effusion"], "60046008", "Pleural effusion"),
        (["nodule", "lung nodule", "pulmonary nodule"], "27925004", "Nodule"),
        (["mass", "lung mass"], "4147007", "Mass"),
        (["cardiomegaly"], "8186001", "Cardiomegaly"),
        (["pneumothorax"], "36118008", "Pneumothorax"),
        (["consolidation", "lung consolidation"], "95436008", "Lung consolidation"),
        (["atelectasis"], "46621007", "Atelectasis"),
        (["fracture"], "125605004", "Fracture of bone"),
        (["tumor", "tumour", "neoplasm"], "108369006", "Neoplasm"),
        (["lesion"], "52988006", "Lesion"));

    /// <summary>The code for a phrase: SNOMED CT when known, else the private scheme; null phrase: "finding" (private).</summary>
    public static FindingCode For(string? phrase)
    {
        var normal = Normalize(phrase);
        if (normal.Length == 0)
        {
            normal = "finding";
        }

        if (Known.TryGetValue(normal, out var code) || (normal.EndsWith('s') && Known.TryGetValue(normal[..^1], out code)))
        {
            return code;
        }

        // SH holds 16 characters: a digest of the normalised phrase, so that the same phrase always has the same code.
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(normal));
        var value = "MGM" + Convert.ToHexString(digest.AsSpan(0, 5));
        var meaning = normal.Length <= MaxMeaning ? normal : normal[..MaxMeaning];
        return new FindingCode(value, PrivateScheme, meaning);
    }

    /// <summary>Lower case, single spaces, no surrounding punctuation, no control characters or backslashes (LO).</summary>
    public static string Normalize(string? phrase)
    {
        if (string.IsNullOrWhiteSpace(phrase))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(phrase.Length);
        var space = false;
        foreach (var c in phrase.Trim().ToLowerInvariant())
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c == '\\')
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        return builder.ToString().Trim('.', ',', ';', ':', '!', '?', ' ');
    }

    private static Dictionary<string, FindingCode> Build(params (string[] Phrases, string Value, string Meaning)[] rows)
    {
        var table = new Dictionary<string, FindingCode>(StringComparer.Ordinal);
        foreach (var (phrases, value, meaning) in rows)
        {
            foreach (var phrase in phrases)
            {
                table.Add(phrase, new FindingCode(value, Sct, meaning));
            }
        }

        return table;
    }
}
