using System.Globalization;
using System.Text.Json;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.Tests.Support;

namespace MiniGptMed.Dicom.Tests.Corpus;

/// <summary>
/// Read each corpus file, write it in each uncompressed transfer syntax, and let two independent
/// readers (pydicom and DCMTK's dcmdump) read the result: same element values as the original.
/// </summary>
public sealed class RoundTripTests
{
    // Group lengths (gggg,0000) are not written (PS3.5 7.2 retired them; a copied one would be wrong).
    private static bool IsGroupLength(string key) => key.EndsWith("0000", StringComparison.Ordinal);

    /// <summary>The corpus files we read whose pixel data (if any) is native, so any native syntax can hold them.</summary>
    private static IEnumerable<(string Path, DicomFile File)> NativeCorpusFiles()
    {
        foreach (var path in TestPaths.CorpusFiles())
        {
            DicomFile file;
            try
            {
                file = DicomFile.Open(path);
            }
            catch (DicomFormatException)
            {
                continue;
            }

            if (file.Dataset.GetElement(DicomTags.PixelData) is not DicomFragmentSequence)
            {
                yield return (path, file);
            }
        }
    }

    [Fact]
    public async Task Write_EveryNativeCorpusFileInEachUncompressedSyntax_PydicomReadsTheSameValues()
    {
        using var temp = TestPaths.CreateTempDirectory();
        var written = new List<(string Original, string Copy, DicomTransferSyntax Syntax)>();
        foreach (var (path, file) in NativeCorpusFiles())
        {
            foreach (var syntax in DicomTransferSyntax.Uncompressed)
            {
                var copy = temp.File($"{Path.GetFileNameWithoutExtension(path)}.{syntax.Uid}.dcm");
                file.Save(copy, syntax);
                written.Add((path, copy, syntax));
            }
        }

        Assert.True(written.Count >= 180, $"only {written.Count} files written");
        var oracle = await PydicomOracle.ReadAsync(written.Select(w => w.Original).Distinct().Concat(written.Select(w => w.Copy)));
        var failures = new List<string>();
        foreach (var (original, copy, syntax) in written)
        {
            if (oracle.Status(original) == "rejected")
            {
                continue;
            }

            if (oracle.Status(copy) != "ok")
            {
                failures.Add($"{Path.GetFileName(copy)}: pydicom: {oracle.Status(copy)} {oracle.Error(copy)}");
                continue;
            }

            // pydicom shows big endian binary values as stored; ours are compared in the copy's order.
            // pydicom shows big endian binary values as stored, so compare in one byte order; and implicit VR
            // has no OB (PS3.5 A.1: pixel data is OW there), so OB and OW with equal bytes are equal.
            var originalBigEndian = !DicomFile.Open(original).TransferSyntax.IsLittleEndian;
            var bigEndianSide = (originalBigEndian, !syntax.IsLittleEndian) switch
            {
                (true, false) => JsonEquivalence.BigEndianSide.Expected,
                (false, true) => JsonEquivalence.BigEndianSide.Actual,
                _ => JsonEquivalence.BigEndianSide.None,
            };
            var differences = JsonEquivalence.Differences(oracle.Json(original), oracle.Json(copy), IsGroupLength, bigEndianSide, binaryVRsEquivalent: true);

            failures.AddRange(differences.Take(5).Select(d => $"{Path.GetFileName(copy)}: {d}"));
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(40)));
    }

    [Fact]
    public async Task Write_EveryNativeCorpusFileInEachUncompressedSyntax_DcmdumpReadsTheSameValues()
    {
        using var temp = TestPaths.CreateTempDirectory();
        var failures = new List<string>();
        var compared = 0;
        foreach (var (path, file) in NativeCorpusFiles().Where(f => f.File.HadFileMetaInformation))
        {

            var reference = await DcmdumpValuesAsync(path);
            if (reference is null)
            {
                continue;
            }

            foreach (var syntax in DicomTransferSyntax.Uncompressed)
            {
                var copy = temp.File($"{Path.GetFileNameWithoutExtension(path)}.{syntax.Uid}.dcm");
                file.Save(copy, syntax);
                var values = await DcmdumpValuesAsync(copy);
                if (values is null)
                {
                    failures.Add($"{Path.GetFileName(copy)}: dcmdump reported an error");
                    continue;
                }

                compared++;
                var missing = reference.Except(values).Take(3).ToList();
                var extra = values.Except(reference).Take(3).ToList();
                if (missing.Count > 0 || extra.Count > 0)
                {
                    failures.Add($"{Path.GetFileName(copy)}: dcmdump sees different values: -{Short(missing)} +{Short(extra)}");
                }
            }
        }

        Assert.True(compared >= 150, $"only {compared} files compared");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(40)));
    }

    /// <summary>(gggg,xxee) with gggg odd and xx at least 10: a private data element, not its creator.</summary>
    private static bool IsPrivateDataElement(string body) =>
        int.TryParse(body.AsSpan(1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var group)
        && int.TryParse(body.AsSpan(6, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var element)
        && (group & 1) == 1 && group > 0x0007 && element >= 0x1000;

    private static string Short(IEnumerable<string> lines) => string.Join(" | ", lines.Select(l => l.Length > 120 ? l[..120] + "..." : l));

    /// <summary>dcmdump shows OB/UN as bytes "7f\\bf" and OW as little endian words "bf7f": both to one hex string.</summary>
    private static string BinaryValue(string shown) => Hash(BinaryHex(shown));

    private static string Hash(string hex) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(hex)))[..16];

    /// <summary>
    /// A private data element's value as the bytes it has on disk, without trailing padding, or null when
    /// dcmdump's rendering of its VR cannot be turned back into bytes.
    /// </summary>
    private static string? PrivateValueHex(string vr, string shown)
    {
        string hex;
        if (vr is "OB" or "OW" or "UN" or "??")
        {
            hex = BinaryHex(shown);
        }
        else if (shown.StartsWith('[') && shown.EndsWith(']'))
        {
            hex = Convert.ToHexString(System.Text.Encoding.UTF8.GetBytes(shown[1..^1]));
        }
        else
        {
            var values = shown.Split('\\');
            var bytes = new List<byte>();
            foreach (var value in values)
            {
                var number = CultureInfo.InvariantCulture;
                byte[] encoded = vr switch
                {
                    "US" => BitConverter.GetBytes(ushort.Parse(value, number)),
                    "SS" => BitConverter.GetBytes(short.Parse(value, number)),
                    "UL" => BitConverter.GetBytes(uint.Parse(value, number)),
                    "SL" => BitConverter.GetBytes(int.Parse(value, number)),
                    "FL" => BitConverter.GetBytes(float.Parse(value, number)),
                    "FD" => BitConverter.GetBytes(double.Parse(value, number)),
                    _ => [],
                };
                if (encoded.Length == 0)
                {
                    return null;
                }

                bytes.AddRange(encoded);
            }

            hex = Convert.ToHexString(bytes.ToArray());
        }

        hex = hex.ToUpperInvariant();
        while (hex.Length >= 2 && hex[^2..] is "20" or "00")
        {
            hex = hex[..^2];
        }

        return hex;
    }

    private static string BinaryHex(string shown)
    {
        var hex = new System.Text.StringBuilder();
        foreach (var token in shown.Split('\\', StringSplitOptions.RemoveEmptyEntries))
        {
            if (token.Length == 4)
            {
                hex.Append(token.AsSpan(2, 2)).Append(token.AsSpan(0, 2));
            }
            else
            {
                hex.Append(token);
            }
        }

        return hex.ToString();
    }

    /// <summary>
    /// dcmdump's lines for the data set, reduced to tag, VR and value: lengths, sequence and item
    /// framing, group lengths and the meta header differ legitimately between encodings.
    /// </summary>
    private static async Task<HashSet<string>?> DcmdumpValuesAsync(string path)
    {
        var result = await ExternalProcess.RunAsync("dcmdump", ["-q", "+L", "+U8", path]);
        if (result.ExitCode != 0 || result.StandardError.Contains("E: ", StringComparison.Ordinal))
        {
            return null;
        }

        var lines = new HashSet<string>(StringComparer.Ordinal);
        var depth = 0;
        foreach (var raw in result.StandardOutput.Split('\n'))
        {
            var line = raw.TrimStart();
            if (!line.StartsWith('(') || line.StartsWith("(0002,", StringComparison.Ordinal))
            {
                continue;
            }

            if (line.StartsWith("(fffe,", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var hash = line.LastIndexOf('#');
            var body = (hash > 0 ? line[..hash] : line).TrimEnd();
            if (body.Length >= 11 && body.Substring(6, 4) == "0000")
            {
                continue;
            }

            if (body.Contains(" SQ ", StringComparison.Ordinal) || body.Contains("(Sequence with", StringComparison.Ordinal))
            {
                body = body[..11] + " SQ";
            }
            else if (body.EndsWith("(no value available)", StringComparison.Ordinal))
            {
                body = body[..11] + " empty";
            }
            else if (body.Length > 15 && IsPrivateDataElement(body) && PrivateValueHex(body.Substring(12, 2), body[15..]) is { } privateHex)
            {
                // PS3.5 6.2.2: a private element's VR is whatever the reader's private dictionary says,
                // UN without one. DCMTK and we know different creators (ours has pydicom's), so an element
                // one side shows as UN the other may show as SH or US: compare the bytes.
                body = body[..11] + " bytes " + Hash(privateHex);
            }
            else if (body.Length > 15 && body.Substring(12, 2) is "OB" or "OW" or "UN" or "??")
            {
                // Implicit VR has no OB (PS3.5 A.1) and no VR for unknown tags: compare the bytes.
                body = body[..11] + " bytes " + BinaryValue(body[15..]);
            }

            lines.Add($"{depth}:{body}");
        }

        return lines;
    }
}
