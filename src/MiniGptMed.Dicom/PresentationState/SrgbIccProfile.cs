using System.Buffers.Binary;
using System.Text;

namespace MiniGptMed.Dicom.PresentationState;

/// <summary>
/// A minimal ICC version 2 display profile for sRGB (ICC.1:2001-04, matrix/TRC model), computed here from the
/// facts IEC 61966-2-1 states: the primaries' and D65's chromaticities and the piecewise transfer function. The
/// colorants are adapted to the D50 connection space with the Bradford transform, as ICC.1 Annex E asks.
/// </summary>
public static class SrgbIccProfile
{
    private static readonly Lazy<byte[]> Profile = new(Build);

    /// <summary>The profile; callers get a copy.</summary>
    public static byte[] Bytes => (byte[])Profile.Value.Clone();

    // ICC.1 7.2.16 / Annex A: the PCS illuminant D50 in XYZ.
    private static readonly double[] D50 = [0.9642, 1.0, 0.8249];

    private static byte[] Build()
    {
        var colorants = AdaptedColorants();
        var tags = new List<(string Signature, byte[] Data)>
        {
            ("desc", TextDescription("sRGB IEC61966-2.1 (MiniGPT-Med)")),
            ("cprt", Text("No copyright, use freely")),
            ("wtpt", Xyz(D50)),
            ("rXYZ", Xyz(Column(colorants, 0))),
            ("gXYZ", Xyz(Column(colorants, 1))),
            ("bXYZ", Xyz(Column(colorants, 2))),
        };
        var curve = Curve();
        tags.Add(("rTRC", curve));
        tags.Add(("gTRC", curve));
        tags.Add(("bTRC", curve));

        // ICC.1 6.1: 128-byte header, tag count, 12-byte tag entries, then the tag data, each on a 4-byte boundary.
        const int headerSize = 128;
        var tableSize = 4 + (12 * tags.Count);
        var offsets = new int[tags.Count];
        var position = headerSize + tableSize;
        for (var i = 0; i < tags.Count; i++)
        {
            // The three TRCs share one data block, as ICC.1 6.3 allows.
            offsets[i] = i > 0 && ReferenceEquals(tags[i].Data, tags[i - 1].Data) ? offsets[i - 1] : position;
            if (offsets[i] == position)
            {
                position += Align4(tags[i].Data.Length);
            }
        }

        var profile = new byte[position];
        var span = profile.AsSpan();
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)profile.Length);       // 0: profile size
        BinaryPrimitives.WriteUInt32BigEndian(span[8..], 0x02100000);            // 8: version 2.1.0
        Ascii(span[12..], "mntr");                                               // 12: display device class
        Ascii(span[16..], "RGB ");                                               // 16: data colour space
        Ascii(span[20..], "XYZ ");                                               // 20: connection space
        BinaryPrimitives.WriteUInt16BigEndian(span[24..], 2026);                 // 24: creation date, fixed so the
        BinaryPrimitives.WriteUInt16BigEndian(span[26..], 1);                    //     bytes never change
        BinaryPrimitives.WriteUInt16BigEndian(span[28..], 1);
        Ascii(span[36..], "acsp");                                               // 36: profile file signature
        BinaryPrimitives.WriteUInt32BigEndian(span[64..], 0);                    // 64: perceptual intent
        WriteXyz(span[68..], D50);                                               // 68: PCS illuminant
        BinaryPrimitives.WriteUInt32BigEndian(span[headerSize..], (uint)tags.Count);
        for (var i = 0; i < tags.Count; i++)
        {
            var entry = span[(headerSize + 4 + (12 * i))..];
            Ascii(entry, tags[i].Signature);
            BinaryPrimitives.WriteUInt32BigEndian(entry[4..], (uint)offsets[i]);
            BinaryPrimitives.WriteUInt32BigEndian(entry[8..], (uint)tags[i].Data.Length);
            tags[i].Data.CopyTo(span[offsets[i]..]);
        }

        return profile;
    }

    /// <summary>The RGB to XYZ(D50) matrix: columns are the red, green and blue colorants.</summary>
    internal static double[,] AdaptedColorants()
    {
        // IEC 61966-2-1 5.1: primaries and white point as CIE 1931 xy.
        double[][] primaries = [[0.64, 0.33], [0.30, 0.60], [0.15, 0.06]];
        var d65 = FromXy(0.3127, 0.3290);

        // RGB -> XYZ(D65): the primaries' XYZ (Y = 1) scaled so that R = G = B = 1 gives the white point.
        var p = new double[3, 3];
        for (var c = 0; c < 3; c++)
        {
            var xyz = FromXy(primaries[c][0], primaries[c][1]);
            for (var r = 0; r < 3; r++)
            {
                p[r, c] = xyz[r];
            }
        }

        var scale = Multiply(Invert(p), d65);
        var rgbToXyz = new double[3, 3];
        for (var r = 0; r < 3; r++)
        {
            for (var c = 0; c < 3; c++)
            {
                rgbToXyz[r, c] = p[r, c] * scale[c];
            }
        }

        // ICC.1 Annex E: the linear Bradford transform from D65 to D50.
        double[,] bradford = { { 0.8951, 0.2664, -0.1614 }, { -0.7502, 1.7135, 0.0367 }, { 0.0389, -0.0685, 1.0296 } };
        var source = Multiply(bradford, d65);
        var destination = Multiply(bradford, D50);
        var cone = new double[3, 3];
        for (var i = 0; i < 3; i++)
        {
            cone[i, i] = destination[i] / source[i];
        }

        var adapt = Multiply(Multiply(Invert(bradford), cone), bradford);
        return Multiply(adapt, rgbToXyz);
    }

    /// <summary>IEC 61966-2-1 5.2: the sRGB transfer function (encoded to linear) as a 1024-entry table.</summary>
    private static byte[] Curve()
    {
        const int entries = 1024;
        var data = new byte[12 + (2 * entries)];
        Ascii(data, "curv");
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(8), entries);
        for (var i = 0; i < entries; i++)
        {
            var v = i / (double)(entries - 1);
            var linear = v <= 0.04045 ? v / 12.92 : Math.Pow((v + 0.055) / 1.055, 2.4);
            BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(12 + (2 * i)), (ushort)Math.Round(linear * 65535));
        }

        return data;
    }

    private static byte[] Xyz(double[] xyz)
    {
        var data = new byte[20];
        Ascii(data, "XYZ ");
        WriteXyz(data.AsSpan(8), xyz);
        return data;
    }

    // ICC.1 6.5.15 textType: ASCII with a terminating null.
    private static byte[] Text(string text)
    {
        var data = new byte[8 + text.Length + 1];
        Ascii(data, "text");
        Encoding.ASCII.GetBytes(text, data.AsSpan(8));
        return data;
    }

    // ICC.1:2001 6.5.17 textDescriptionType: ASCII count and text, then empty Unicode and ScriptCode parts
    // (language 0, count 0; code 0, count 0, 67 bytes).
    private static byte[] TextDescription(string text)
    {
        var ascii = text.Length + 1;
        var data = new byte[8 + 4 + ascii + 4 + 4 + 2 + 1 + 67];
        Ascii(data, "desc");
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(8), (uint)ascii);
        Encoding.ASCII.GetBytes(text, data.AsSpan(12));
        return data;
    }

    private static void WriteXyz(Span<byte> target, double[] xyz)
    {
        // ICC.1 5.3.10 s15Fixed16Number.
        for (var i = 0; i < 3; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(target[(4 * i)..], (int)Math.Round(xyz[i] * 65536));
        }
    }

    private static void Ascii(Span<byte> target, string signature) => Encoding.ASCII.GetBytes(signature, target);

    private static int Align4(int length) => (length + 3) & ~3;

    private static double[] FromXy(double x, double y) => [x / y, 1.0, (1 - x - y) / y];

    private static double[] Column(double[,] m, int c) => [m[0, c], m[1, c], m[2, c]];

    private static double[] Multiply(double[,] m, double[] v) =>
    [
        (m[0, 0] * v[0]) + (m[0, 1] * v[1]) + (m[0, 2] * v[2]),
        (m[1, 0] * v[0]) + (m[1, 1] * v[1]) + (m[1, 2] * v[2]),
        (m[2, 0] * v[0]) + (m[2, 1] * v[1]) + (m[2, 2] * v[2]),
    ];

    private static double[,] Multiply(double[,] a, double[,] b)
    {
        var result = new double[3, 3];
        for (var r = 0; r < 3; r++)
        {
            for (var c = 0; c < 3; c++)
            {
                result[r, c] = (a[r, 0] * b[0, c]) + (a[r, 1] * b[1, c]) + (a[r, 2] * b[2, c]);
            }
        }

        return result;
    }

    private static double[,] Invert(double[,] m)
    {
        var det = (m[0, 0] * ((m[1, 1] * m[2, 2]) - (m[1, 2] * m[2, 1])))
            - (m[0, 1] * ((m[1, 0] * m[2, 2]) - (m[1, 2] * m[2, 0])))
            + (m[0, 2] * ((m[1, 0] * m[2, 1]) - (m[1, 1] * m[2, 0])));
        var result = new double[3, 3];
        for (var r = 0; r < 3; r++)
        {
            for (var c = 0; c < 3; c++)
            {
                // Cofactor of (c, r), for the adjugate.
                int r1 = (c + 1) % 3, r2 = (c + 2) % 3, c1 = (r + 1) % 3, c2 = (r + 2) % 3;
                result[r, c] = ((m[r1, c1] * m[r2, c2]) - (m[r1, c2] * m[r2, c1])) / det;
            }
        }

        return result;
    }
}
