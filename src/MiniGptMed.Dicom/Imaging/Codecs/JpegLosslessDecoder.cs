using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MiniGptMed.Dicom.Imaging.Codecs;

/// <summary>Receives line <paramref name="y"/> of a frame decoded line by line; the span is valid only during the call.</summary>
internal delegate void LosslessRowHandler(int y, ReadOnlySpan<int> row);

/// <summary>
/// Our decoder for JPEG lossless, non-hierarchical, Huffman coded (ITU T.81 Annex H, process 14; DICOM
/// 1.2.840.10008.1.2.4.57 and its selection value 1, .70). Written because the general-purpose managed decoder
/// spends most of a radiograph's time in per-block callbacks; this one predicts straight into the sample array.
/// Returns false for a stream that is not SOF3 with 1x1 sampling, so the caller can hand it to JpegLibrary.
/// </summary>
internal sealed class JpegLosslessDecoder
{
    private readonly HuffmanTable?[] _tables = new HuffmanTable?[4];
    private int _restartInterval;
    private LosslessRowHandler? _onRow;

    /// <summary>Decodes into <paramref name="samples"/> (interleaved); returns false if the stream is not for us.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> jpeg, PixelDataInfo info, int[] samples, out int precision) =>
        new JpegLosslessDecoder().Decode(jpeg, info, samples, out precision);

    /// <summary>
    /// Decodes a single-component stream without restart intervals line by line, handing each line (point transform
    /// applied, not sign-extended) to <paramref name="onRow"/> and keeping only two lines: a large radiograph then
    /// needs no whole-image sample array. Returns false, before any line, for any other stream.
    /// </summary>
    public static bool TryDecodeRows(ReadOnlySpan<byte> jpeg, PixelDataInfo info, LosslessRowHandler onRow) =>
        new JpegLosslessDecoder { _onRow = onRow }.Decode(jpeg, info, new int[2 * info.Columns], out _);

    private bool Decode(ReadOnlySpan<byte> jpeg, PixelDataInfo info, int[] samples, out int precision)
    {
        precision = 0;
        if (jpeg.Length < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8)
        {
            info.Fail("JPEG stream does not start with SOI");
        }

        int width = 0, height = 0, components = 0;
        int[] componentIds = [];
        var position = 2;
        var sawFrame = false;
        while (true)
        {
            var marker = NextMarker(jpeg, ref position, info);
            if (marker == 0xD9)
            {
                if (!sawFrame)
                {
                    info.Fail("JPEG stream ends before its frame header");
                }

                return true;
            }

            var segment = Segment(jpeg, ref position, info);
            switch (marker)
            {
                case 0xC3:
                    // T.81 B.2.2 frame header: P, Y, X, Nf, then (C, H<<4|V, Tq) per component.
                    if (segment.Length < 6)
                    {
                        info.Fail("JPEG frame header is cut short");
                    }

                    precision = segment[0];
                    height = (segment[1] << 8) | segment[2];
                    width = (segment[3] << 8) | segment[4];
                    components = segment[5];
                    if (segment.Length < 6 + (3 * components))
                    {
                        info.Fail("JPEG frame header is shorter than its component list");
                    }

                    componentIds = new int[components];
                    for (var c = 0; c < components; c++)
                    {
                        componentIds[c] = segment[6 + (3 * c)];
                        if (segment[7 + (3 * c)] != 0x11)
                        {
                            return false; // subsampled lossless: rare; JpegLibrary handles it
                        }
                    }

                    if (width != info.Columns || height != info.Rows || components != info.SamplesPerPixel)
                    {
                        info.Fail($"JPEG frame is {width} x {height} x {components} but the data set says {info.Columns} x {info.Rows} x {info.SamplesPerPixel}");
                    }

                    if (precision is < 2 or > 16)
                    {
                        info.Fail($"JPEG lossless precision {precision} is outside 2..16");
                    }

                    sawFrame = true;
                    break;
                case >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC:
                    return false; // a DCT or arithmetic-coded process: not ours
                case 0xC4:
                    ReadHuffmanTables(segment, info);
                    break;
                case 0xDD:
                    _restartInterval = segment.Length >= 2 ? (segment[0] << 8) | segment[1] : 0;
                    break;
                case 0xDA:
                    if (!sawFrame)
                    {
                        info.Fail("JPEG scan before its frame header");
                    }

                    position = DecodeScan(jpeg, position, segment, componentIds, width, height, precision, samples, info);
                    if (position < 0)
                    {
                        return false; // line by line was asked for a stream that cannot be streamed
                    }

                    break;
            }
        }
    }

    private int DecodeScan(ReadOnlySpan<byte> jpeg, int position, ReadOnlySpan<byte> header, int[] componentIds, int width, int height, int precision, int[] samples, PixelDataInfo info)
    {
        // T.81 B.2.3 scan header: Ns, (Cs, Td<<4|Ta) per component, Ss = predictor, Se, Ah<<4|Al (Al = point transform).
        var count = header.Length > 0 ? header[0] : 0;
        if (count < 1 || header.Length < 4 + (2 * count))
        {
            info.Fail("JPEG scan header is malformed");
        }

        var stride = componentIds.Length;
        var offsets = new int[count];
        var tables = new HuffmanTable[count];
        for (var i = 0; i < count; i++)
        {
            offsets[i] = Array.IndexOf(componentIds, (int)header[1 + (2 * i)]);
            var table = _tables[(header[2 + (2 * i)] >> 4) & 3];
            if (offsets[i] < 0 || table is null)
            {
                info.Fail("JPEG scan names a component or Huffman table that was not defined");
            }

            tables[i] = table;
        }

        var predictor = header[1 + (2 * count)];
        var pointTransform = header[3 + (2 * count)] & 0x0F;
        if (predictor > 7 || pointTransform >= precision)
        {
            info.Fail($"JPEG lossless predictor {predictor} or point transform {pointTransform} is invalid");
        }

        // T.81 H.1.1 (as IJG and DCMTK enforce): in the lossless processes a restart interval is a whole number of
        // MCU rows, so every interval starts a line; an interval ending inside a line has no defined prediction.
        if (_restartInterval > 0 && _restartInterval % width != 0)
        {
            info.Fail($"JPEG lossless restart interval {_restartInterval} is not a multiple of the {width} MCUs in a line");
        }

        var initial = 1 << (precision - pointTransform - 1);
        var reader = new BitReader(jpeg, position);
        var single = count == 1 && stride == 1 && _restartInterval == 0;
        if (_onRow is not null)
        {
            if (!single)
            {
                return -1;
            }

            DecodeSingleComponent(ref reader, tables[0], predictor, initial, width, height, samples, info, _onRow, pointTransform);
            pointTransform = 0; // already applied to each line handed out
        }
        else if (single)
        {
            DecodeSingleComponent(ref reader, tables[0], predictor, initial, width, height, samples, info, null, 0);
        }
        else
        {
            DecodeInterleaved(ref reader, tables, offsets, stride, predictor, initial, width, height, samples, info);
        }

        if (reader.HitEnd)
        {
            info.Fail("JPEG lossless scan ends before its last sample: the stream is cut short");
        }

        if (pointTransform > 0)
        {
            for (var i = 0; i < samples.Length; i++)
            {
                samples[i] <<= pointTransform;
            }
        }

        return reader.Position;
    }

    // The usual DICOM case (one component, no restart intervals): the difference comes from one lookup when the
    // code and its extra bits are short.
    private static void DecodeSingleComponent(ref BitReader reader, HuffmanTable table, int predictor, int initial, int width, int height, int[] samples, PixelDataInfo info, LosslessRowHandler? onRow, int pointTransform)
    {
        ref var sample = ref MemoryMarshal.GetArrayDataReference(samples);

        // Line by line, samples holds two lines used in turn: the line being decoded and the one above it.
        var lineMask = onRow is null ? -1 : 1;
        var shifted = onRow is not null && pointTransform > 0 ? new int[width] : null;
        for (var y = 0; y < height; y++)
        {
            ref var row = ref Unsafe.Add(ref sample, (y & lineMask) * width);
            if (y == 0)
            {
                // H.1.2.1: the first sample of the scan is predicted by 2^(P-Pt-1), the rest of the first line by Ra.
                DecodeLine(ref reader, table, 1, initial, ref row, ref row, width, info);
            }
            else
            {
                // H.1.2.1: the first sample of each later line by Rb (the sample above), the rest by the predictor.
                ref var above = ref Unsafe.Add(ref sample, ((y - 1) & lineMask) * width);
                DecodeLine(ref reader, table, predictor, above, ref row, ref above, width, info);
            }

            if (onRow is not null)
            {
                var line = MemoryMarshal.CreateReadOnlySpan(ref row, width);
                if (shifted is not null)
                {
                    for (var x = 0; x < width; x++)
                    {
                        shifted[x] = line[x] << pointTransform;
                    }

                    line = shifted;
                }

                onRow(y, line);
            }
        }
    }

    // One line, with the bit buffer in locals for its duration (fields of the ref struct reader would be a memory
    // access per bit operation) and one inner loop per predictor family.
    private static void DecodeLine(ref BitReader reader, HuffmanTable table, int predictor, int firstPrediction, ref int row, ref int above, int width, PixelDataInfo info)
    {
        var bits = reader.Bits;
        var count = reader.Count;
        var fast = table.Fast;

        // H.1.2.1: reconstruction is modulo 2^16.
        var previous = (firstPrediction + NextDifference(ref bits, ref count, fast, ref reader, table, info)) & 0xFFFF;
        row = previous;
        if (predictor == 1)
        {
            for (var x = 1; x < width; x++)
            {
                previous = (previous + NextDifference(ref bits, ref count, fast, ref reader, table, info)) & 0xFFFF;
                Unsafe.Add(ref row, x) = previous;
            }
        }
        else
        {
            for (var x = 1; x < width; x++)
            {
                int ra = previous, rb = Unsafe.Add(ref above, x), rc = Unsafe.Add(ref above, x - 1);
                var prediction = predictor switch
                {
                    2 => rb,
                    3 => rc,
                    4 => ra + rb - rc,
                    5 => ra + ((rb - rc) >> 1),
                    6 => rb + ((ra - rc) >> 1),
                    7 => (ra + rb) >> 1,
                    _ => 0,
                };
                previous = (prediction + NextDifference(ref bits, ref count, fast, ref reader, table, info)) & 0xFFFF;
                Unsafe.Add(ref row, x) = previous;
            }
        }

        reader.Bits = bits;
        reader.Count = count;
    }

    // One difference with the bit buffer in the caller's locals (inlined, so they stay in registers); the slow
    // path and the refill go through the reader.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int NextDifference(ref ulong bits, ref int count, int[] fast, ref BitReader reader, HuffmanTable table, PixelDataInfo info)
    {
        // The fast lookup needs FastBits valid bits (the slow path refills for itself): refilling only then brings
        // in 6 to 8 bytes at a time.
        if (count < HuffmanTable.FastBits)
        {
            reader.Bits = bits;
            reader.Count = count;
            reader.Fill();
            bits = reader.Bits;
            count = reader.Count;
        }

        // The fast table has 2^FastBits entries and the index is the top FastBits bits: always in range.
        var entry = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(fast), (nint)(bits >> (64 - HuffmanTable.FastBits)));
        if (entry != 0)
        {
            var used = entry & 0xFF;
            bits <<= used;
            count -= used;
            return entry >> 8;
        }

        reader.Bits = bits;
        reader.Count = count;
        var difference = SlowDifference(ref reader, table, info);
        bits = reader.Bits;
        count = reader.Count;
        return difference;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int SlowDifference(ref BitReader reader, HuffmanTable table, PixelDataInfo info) => reader.ReadDifference(table, info);

    private void DecodeInterleaved(ref BitReader reader, HuffmanTable[] tables, int[] offsets, int stride, int predictor, int initial, int width, int height, int[] samples, PixelDataInfo info)
    {
        var count = tables.Length;
        var linesPerInterval = _restartInterval / width;
        var firstLine = true; // H.1.2.1: the first line of the scan and of each restart interval uses Ra
        for (var y = 0; y < height; y++)
        {
            var row = y * width * stride;
            var above = row - (width * stride);
            for (var x = 0; x < width; x++)
            {
                var at = row + (x * stride);
                for (var i = 0; i < count; i++)
                {
                    var index = at + offsets[i];
                    int prediction;
                    if (firstLine)
                    {
                        prediction = x == 0 ? initial : samples[index - stride];
                    }
                    else if (x == 0)
                    {
                        prediction = samples[index - (width * stride)];
                    }
                    else
                    {
                        int ra = samples[index - stride], rb = samples[above + (x * stride) + offsets[i]], rc = samples[above + ((x - 1) * stride) + offsets[i]];
                        prediction = predictor switch
                        {
                            1 => ra,
                            2 => rb,
                            3 => rc,
                            4 => ra + rb - rc,
                            5 => ra + ((rb - rc) >> 1),
                            6 => rb + ((ra - rc) >> 1),
                            7 => (ra + rb) >> 1,
                            _ => 0,
                        };
                    }

                    // H.1.2.1: reconstruction is modulo 2^16.
                    samples[index] = (prediction + reader.ReadDifference(tables[i], info)) & 0xFFFF;
                }
            }

            // E.2.4: after each interval of whole lines comes a RSTm marker; the next line starts afresh.
            firstLine = linesPerInterval > 0 && (y + 1) % linesPerInterval == 0 && y + 1 < height;
            if (firstLine)
            {
                reader.Restart(info);
            }
        }
    }

    private void ReadHuffmanTables(ReadOnlySpan<byte> segment, PixelDataInfo info)
    {
        // T.81 B.2.4.2: Tc<<4|Th, 16 code counts, then the symbols.
        var i = 0;
        while (i + 17 <= segment.Length)
        {
            var destination = segment[i] & 0x0F;
            var counts = segment.Slice(i + 1, 16);
            var total = 0;
            foreach (var n in counts)
            {
                total += n;
            }

            if (destination > 3 || i + 17 + total > segment.Length || total > 256)
            {
                info.Fail("JPEG Huffman table is malformed");
            }

            _tables[destination] = new HuffmanTable(counts, segment.Slice(i + 17, total));
            i += 17 + total;
        }
    }

    private static int NextMarker(ReadOnlySpan<byte> jpeg, ref int position, PixelDataInfo info)
    {
        while (position + 1 < jpeg.Length)
        {
            if (jpeg[position] == 0xFF && jpeg[position + 1] is not 0xFF and not 0x00)
            {
                var marker = jpeg[position + 1];
                position += 2;
                return marker;
            }

            position++;
        }

        info.Fail("JPEG stream ends without an EOI marker: the scan is cut short");
        return 0;
    }

    private static ReadOnlySpan<byte> Segment(ReadOnlySpan<byte> jpeg, ref int position, PixelDataInfo info)
    {
        if (position + 2 > jpeg.Length)
        {
            info.Fail("JPEG marker segment is cut short");
        }

        var length = (jpeg[position] << 8) | jpeg[position + 1];
        if (length < 2 || position + length > jpeg.Length)
        {
            info.Fail($"JPEG marker segment of {length} bytes runs past the end of the stream");
        }

        var segment = jpeg.Slice(position + 2, length - 2);
        position += length;
        return segment;
    }

    /// <summary>T.81 C and F.2.2.3: canonical codes, with a 9-bit code lookup and a 12-bit code-plus-difference lookup.</summary>
    private sealed class HuffmanTable
    {
        public const int LookupBits = 9;

        /// <summary>Bits looked at by <see cref="Fast"/>: 2^12 ints (16 KB) stay in the L1 cache.</summary>
        public const int FastBits = 12;

        public HuffmanTable(ReadOnlySpan<byte> counts, ReadOnlySpan<byte> symbols)
        {
            Symbols = symbols.ToArray();
            Lookup = new ushort[1 << LookupBits];
            var code = 0;
            var k = 0;
            for (var length = 1; length <= 16; length++)
            {
                ValueOffset[length] = k - code;
                for (var n = 0; n < counts[length - 1]; n++, k++, code++)
                {
                    if (length <= LookupBits)
                    {
                        var first = code << (LookupBits - length);
                        for (var fill = 0; fill < 1 << (LookupBits - length); fill++)
                        {
                            Lookup[first + fill] = (ushort)((length << 8) | Symbols[k]);
                        }
                    }
                }

                MaxCode[length] = counts[length - 1] == 0 ? -1 : code - 1;
                code <<= 1;
            }

            Fast = BuildFast();
        }

        /// <summary>
        /// Per 12-bit prefix: the difference (F.2.2.1 EXTEND of the SSSS extra bits, H.1.2.2: SSSS 16 is 32768) << 8
        /// | the bits used (code plus extra), when both fit in the prefix; 0 otherwise (then the slow path decodes).
        /// </summary>
        public int[] Fast { get; }

        private int[] BuildFast()
        {
            var fast = new int[1 << FastBits];
            for (var prefix = 0; prefix < fast.Length; prefix++)
            {
                var entry = Lookup[prefix >> (FastBits - LookupBits)];
                if (entry == 0)
                {
                    continue;
                }

                int length = entry >> 8, ssss = entry & 0xFF;
                if (ssss == 0 || ssss >= 16)
                {
                    fast[prefix] = ((ssss == 0 ? 0 : 32768) << 8) | length;
                }
                else if (length + ssss <= FastBits)
                {
                    var extra = (prefix >> (FastBits - length - ssss)) & ((1 << ssss) - 1);
                    var difference = extra < (1 << (ssss - 1)) ? extra - (1 << ssss) + 1 : extra;
                    fast[prefix] = (difference << 8) | (length + ssss);
                }
            }

            return fast;
        }

        public byte[] Symbols { get; }

        /// <summary>Per 9-bit prefix: code length << 8 | symbol, 0 when the code is longer.</summary>
        public ushort[] Lookup { get; }

        public int[] MaxCode { get; } = new int[17];

        public int[] ValueOffset { get; } = new int[17];
    }

    /// <summary>Reads entropy-coded bits, removing stuffed zero bytes; past a marker or the end it feeds zeros.</summary>
    private ref struct BitReader(ReadOnlySpan<byte> data, int position)
    {
        private readonly ReadOnlySpan<byte> _data = data;

        /// <summary>The buffered bits, most significant first; a hot loop may keep them in locals and write them back.</summary>
        public ulong Bits;

        /// <summary>How many of <see cref="Bits"/> are valid.</summary>
        public int Count;

        public int Position { get; private set; } = position;

        // The zeros fed after a marker or the end sit at the tail of the buffer: fewer bits left than zeros fed
        // means some were taken as data, so the scan was cut short.
        public readonly bool HitEnd => _cutShort || Count < _pastEnd;

        private bool _cutShort;

        private bool _atMarker;

        public void Fill()
        {
            // Fast path: the next eight bytes hold no 0xFF (no stuffing, no marker), so whole bytes go in at once.
            if (!_atMarker && Position + 8 <= _data.Length)
            {
                // In range: Position + 8 <= length was checked just above.
                var chunk = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(
                    Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref MemoryMarshal.GetReference(_data), Position)));
                var inverted = ~chunk;
                if (((inverted - 0x0101010101010101UL) & ~inverted & 0x8080808080808080UL) == 0)
                {
                    var take = (64 - Count) >> 3;
                    Bits |= (chunk >> (64 - (take * 8))) << (64 - Count - (take * 8));
                    Count += take * 8;
                    Position += take;
                    return;
                }
            }

            while (Count <= 56)
            {
                byte next = 0;
                if (!_atMarker && Position < _data.Length)
                {
                    next = _data[Position];
                    if (next == 0xFF)
                    {
                        var following = Position + 1 < _data.Length ? _data[Position + 1] : (byte)0xD9;
                        if (following == 0x00)
                        {
                            Position += 2;
                        }
                        else
                        {
                            _atMarker = true;
                            next = 0;
                            _pastEnd += 8;
                        }
                    }
                    else
                    {
                        Position++;
                    }
                }
                else
                {
                    _pastEnd += 8;
                }

                Bits |= (ulong)next << (56 - Count);
                Count += 8;
            }
        }

        private int _pastEnd;

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public int ReadDifference(HuffmanTable table, PixelDataInfo info)
        {
            // 32 bits cover the longest code (16) plus the longest extra bits (15): one refill per difference at most.
            if (Count < 32)
            {
                Fill();
            }

            var entry = table.Lookup[(int)(Bits >> (64 - HuffmanTable.LookupBits))];
            int symbol, length;
            if (entry != 0)
            {
                length = entry >> 8;
                symbol = entry & 0xFF;
            }
            else
            {
                symbol = SlowSymbol(table, info, out length);
            }

            Bits <<= length;
            Count -= length;

            // H.1.2.2: SSSS 16 means a difference of 32768 with no extra bits; otherwise extend SSSS bits (F.2.2.1).
            if (symbol == 0)
            {
                return 0;
            }

            if (symbol >= 16)
            {
                return 32768;
            }

            var bits = (int)(Bits >> (64 - symbol));
            Bits <<= symbol;
            Count -= symbol;
            return bits < (1 << (symbol - 1)) ? bits - (1 << symbol) + 1 : bits;
        }

        // T.81 F.2.2.3 DECODE for codes longer than the lookup.
        private readonly int SlowSymbol(HuffmanTable table, PixelDataInfo info, out int length)
        {
            for (length = HuffmanTable.LookupBits + 1; length <= 16; length++)
            {
                var code = (int)(Bits >> (64 - length));
                if (table.MaxCode[length] >= 0 && code <= table.MaxCode[length])
                {
                    var index = code + table.ValueOffset[length];
                    if ((uint)index < (uint)table.Symbols.Length)
                    {
                        return table.Symbols[index];
                    }

                    break;
                }
            }

            info.Fail("JPEG lossless scan holds a code that is not in its Huffman table");
            return 0;
        }

        /// <summary>T.81 E.2.4: at a restart marker the bit buffer is discarded and the marker skipped.</summary>
        public void Restart(PixelDataInfo info)
        {
            _cutShort |= Count < _pastEnd;
            Bits = 0;
            Count = 0;
            _pastEnd = 0;
            _atMarker = false;
            while (Position + 1 < _data.Length && !(_data[Position] == 0xFF && _data[Position + 1] is >= 0xD0 and <= 0xD7))
            {
                Position++;
            }

            if (Position + 1 >= _data.Length)
            {
                info.Fail("JPEG lossless scan ends where a restart marker should be");
            }

            Position += 2;
        }
    }
}
