namespace MiniGptMed.Dicom.Imaging.Codecs;

/// <summary>
/// What the markers before the first scan say about colour (ITU T.81 B.1, JFIF, Adobe APP14), read without
/// decoding, so the decoder can tell whether three components are YCbCr or RGB.
/// </summary>
internal readonly record struct JpegMarkers(bool HasJfif, int? AdobeTransform, bool ComponentsNamedRgb, bool HasEndOfImage)
{
    public static JpegMarkers Scan(ReadOnlySpan<byte> jpeg)
    {
        bool jfif = false, rgbIds = false;
        int? adobe = null;
        var i = 2;
        while (i + 4 <= jpeg.Length && jpeg[i] == 0xFF)
        {
            var marker = jpeg[i + 1];
            if (marker == 0xFF)
            {
                i++;
                continue;
            }

            var length = (jpeg[i + 2] << 8) | jpeg[i + 3];
            var segment = jpeg.Slice(i + 4, Math.Max(0, Math.Min(length - 2, jpeg.Length - i - 4)));
            if (marker == 0xE0 && segment.StartsWith("JFIF"u8))
            {
                jfif = true;
            }
            else if (marker == 0xEE && segment.StartsWith("Adobe"u8) && segment.Length >= 12)
            {
                adobe = segment[11];
            }
            else if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC && segment.Length >= 6)
            {
                var components = segment[5];
                rgbIds = components == 3 && segment.Length >= 6 + 9
                    && segment[6] == (byte)'R' && segment[9] == (byte)'G' && segment[12] == (byte)'B';
            }
            else if (marker == 0xDA)
            {
                break;
            }

            i += 2 + length;
        }

        return new JpegMarkers(jfif, adobe, rgbIds, EndsWithEoi(jpeg));
    }

    // PS3.5 A.4: a fragment is padded to even length after EOI, with 0x00 or (seen in the wild) 0xFF fill.
    public static bool EndsWithEoi(ReadOnlySpan<byte> jpeg)
    {
        var end = jpeg.Length;
        while (end > 2 && jpeg.Length - end < 16 && !(jpeg[end - 2] == 0xFF && jpeg[end - 1] == 0xD9) && jpeg[end - 1] is 0x00 or 0xFF)
        {
            end--;
        }

        return end >= 2 && jpeg[end - 2] == 0xFF && jpeg[end - 1] == 0xD9;
    }
}
