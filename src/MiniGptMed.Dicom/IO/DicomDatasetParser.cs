using System.Buffers.Binary;
using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.IO;

/// <summary>
/// Parses data set elements (PS3.5 7) in any of the native encodings. Every length read from the input
/// is checked against what is left before anything is allocated or skipped, sequences nest at most
/// <see cref="DicomReaderOptions.MaxDepth"/> deep, and every error names the element and byte offset.
/// </summary>
internal sealed class DicomDatasetParser(DicomInput input, DicomReaderOptions options, FileIdentity? file, List<string> warnings)
{
    private const uint UndefinedLength = 0xFFFFFFFF;
    private static readonly DicomTag PixelDataTag = new(0x7FE0, 0x0010);

    /// <summary>Reads elements into <paramref name="dataset"/> until the end of the input.</summary>
    public void ReadTopLevel(DicomDataset dataset, DicomEncoding encoding) =>
        ReadElements(dataset, encoding, end: long.MaxValue, untilItemDelimiter: false, depth: 0);

    /// <summary>Reads the File Meta Information: explicit VR little endian group 0002 elements (PS3.10 7.1).</summary>
    public void ReadMetaGroup(DicomDataset meta)
    {
        var encoding = DicomEncoding.ExplicitLittle;
        if (input.TryEnsure(6) && !DicomVR.TryGet(input.Peek(6)[4], input.Peek(6)[5], out _))
        {
            // Some writers put the meta group in implicit VR; read it the way it is.
            encoding = DicomEncoding.ImplicitLittle;
        }

        while (input.TryEnsure(2) && BinaryPrimitives.ReadUInt16LittleEndian(input.Peek(2)) == 0x0002)
        {
            var element = ReadElement(meta, encoding, depth: 0, out _);
            if (element is not null)
            {
                meta.AddOrUpdate(element);
            }
        }
    }

    private void ReadElements(DicomDataset dataset, DicomEncoding encoding, long end, bool untilItemDelimiter, int depth)
    {
        while (true)
        {
            if (end != long.MaxValue)
            {
                if (input.Position == end)
                {
                    return;
                }

                if (input.Position > end)
                {
                    throw new DicomFormatException($"An element runs {input.Position - end} bytes past the end of its item", null, input.Position);
                }
            }
            else if (!untilItemDelimiter && input.IsAtEnd)
            {
                return;
            }

            if (depth == 0 && options.StopBeforeTag is { } stop && input.TryEnsure(4) && PeekTag(encoding) >= stop)
            {
                return;
            }

            var element = ReadElement(dataset, encoding, depth, out var itemDelimiter);
            if (itemDelimiter)
            {
                if (!untilItemDelimiter)
                {
                    throw new DicomFormatException("Item delimitation item outside an undefined-length item", DicomTag.ItemDelimitationItem, input.Position - 8);
                }

                return;
            }

            if (element is not null)
            {
                dataset.AddOrUpdate(element);
            }
        }
    }

    private DicomTag PeekTag(DicomEncoding encoding)
    {
        var header = input.Peek(4);
        return encoding.IsLittleEndian
            ? new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(header), BinaryPrimitives.ReadUInt16LittleEndian(header[2..]))
            : new DicomTag(BinaryPrimitives.ReadUInt16BigEndian(header), BinaryPrimitives.ReadUInt16BigEndian(header[2..]));
    }

    private DicomElement? ReadElement(DicomDataset owner, DicomEncoding encoding, int depth, out bool itemDelimiter)
    {
        itemDelimiter = false;
        var start = input.Position;
        if (!input.TryEnsure(8))
        {
            throw new DicomFormatException($"The input ends inside an element header ({input.Buffered.Length} of 8 bytes left)", null, start);
        }

        var tag = PeekTag(encoding);
        DicomVR vr;
        uint length;

        if (tag.Group == 0xFFFE)
        {
            // PS3.5 7.5: item and delimitation tags have no VR in any encoding.
            length = ReadUInt32(input.Peek(8)[4..], encoding);
            input.Advance(8);
            if (tag == DicomTag.ItemDelimitationItem)
            {
                itemDelimiter = true;
                return null;
            }

            if (tag == DicomTag.Item)
            {
                throw new DicomFormatException("Item tag outside a sequence", tag, start);
            }

            throw new DicomFormatException("Unexpected delimitation tag", tag, start);
        }

        if (encoding.IsExplicitVR)
        {
            var header = input.Peek(8);
            if (!DicomVR.TryGet(header[4], header[5], out vr))
            {
                throw new DicomFormatException($"Unknown value representation 0x{header[4]:X2}{header[5]:X2}", tag, start);
            }

            if (vr.HasLongExplicitLength)
            {
                if (!input.TryEnsure(12))
                {
                    throw new DicomFormatException("The input ends inside an element header", tag, start);
                }

                length = ReadUInt32(input.Peek(12)[8..], encoding);
                input.Advance(12);
            }
            else
            {
                length = encoding.IsLittleEndian ? BinaryPrimitives.ReadUInt16LittleEndian(header[6..]) : BinaryPrimitives.ReadUInt16BigEndian(header[6..]);
                input.Advance(8);
            }
        }
        else
        {
            length = ReadUInt32(input.Peek(8)[4..], encoding);
            input.Advance(8);
            vr = ImplicitVR(tag, owner);
        }

        if (length == UndefinedLength)
        {
            if (tag == PixelDataTag && vr != DicomVR.SQ)
            {
                // PS3.5 A.4: undefined-length Pixel Data is encapsulated, whatever VR a reader guessed.
                return ReadFragments(tag, encoding.IsExplicitVR && vr == DicomVR.OW ? DicomVR.OW : DicomVR.OB, encoding, start);
            }

            if (vr == DicomVR.SQ || (vr == DicomVR.UN && !encoding.IsExplicitVR))
            {
                return ReadSequence(owner, tag, UndefinedLength, encoding, depth);
            }

            if (vr == DicomVR.UN)
            {
                // PS3.5 6.2.2: UN of undefined length holds an implicit VR little endian sequence.
                return ReadSequence(owner, tag, UndefinedLength, DicomEncoding.ImplicitLittle, depth);
            }

            if (vr == DicomVR.OB || vr == DicomVR.OW)
            {
                return ReadFragments(tag, vr, encoding, start);
            }

            throw new DicomFormatException($"Undefined length is not allowed for VR {vr.Code}", tag, start);
        }

        if (length > input.Remaining)
        {
            throw new DicomFormatException($"Value length {length} exceeds the {input.Remaining} bytes left", tag, start);
        }

        if ((length & 1) == 1)
        {
            // PS3.5 7.1.1: every value length is even. DCMTK and pydicom read odd ones anyway, and so do
            // we unless asked to be strict; the writer pads the value.
            Warn(new DicomFormatException($"Odd value length {length}", tag, start));
        }

        if (vr == DicomVR.SQ)
        {
            return ReadSequence(owner, tag, length, encoding, depth);
        }

        // Explicit VR files sometimes carry UN for elements whose VR is known, public or private
        // (a peer that did not know them wrote UN; PS3.5 6.2.2): read them as the dictionary says.
        if (vr == DicomVR.UN && options.ReplaceUnknownVR && encoding.IsLittleEndian)
        {
            var known = ImplicitVR(tag, owner);
            if (known == DicomVR.SQ)
            {
                return ReadSequence(owner, tag, length, DicomEncoding.ImplicitLittle, depth);
            }

            vr = known;
        }

        return new DicomValueElement(tag, vr, ReadValue(tag, vr, length, encoding, start));
    }

    private static DicomVR ImplicitVR(DicomTag tag, DicomDataset owner)
    {
        if (tag.IsPrivateCreator)
        {
            return DicomVR.LO;
        }

        var entry = tag.IsPrivate ? FindPrivate(tag, owner) : DicomDictionary.Find(tag);
        if (entry is null)
        {
            return DicomVR.UN;
        }

        var choices = entry.ValueRepresentations;
        return choices.Count <= 1 ? entry.DefaultVR : ResolveAmbiguous(tag, choices, owner);
    }

    /// <summary>
    /// PS3.5 7.8.1: a private element (gggg,xxee) is known by the creator of its block, the value of
    /// (gggg,00xx), which precedes it in the same data set. Unknown without one.
    /// </summary>
    private static DicomDictionaryEntry? FindPrivate(DicomTag tag, DicomDataset owner) =>
        owner.GetPrivateCreator(tag) is { } creator ? DicomPrivateDictionary.Find(creator, tag) : null;

    /// <summary>
    /// Implicit VR leaves some VRs to context (PS3.5 A.1, PS3.3 C.7.6.3.1.4, C.11.1.1.1): US or SS
    /// follows Pixel Representation (of this or an enclosing data set); LUT Data is US when the LUT
    /// Descriptor says one entry, else OW; OB or OW (Pixel Data, Overlay Data, ...) is OW.
    /// </summary>
    private static DicomVR ResolveAmbiguous(DicomTag tag, IReadOnlyList<DicomVR> choices, DicomDataset owner)
    {
        if (tag == LutDataTag)
        {
            return owner.TryGetValue<int>(LutDescriptorTag, out var entries) && entries == 1 ? DicomVR.US : DicomVR.OW;
        }

        if (choices.Contains(DicomVR.US) && choices.Contains(DicomVR.SS) && !choices.Contains(DicomVR.OW))
        {
            for (var ds = owner; ds is not null; ds = ds.Parent)
            {
                if (ds.TryGetValue<int>(PixelRepresentationTag, out var representation))
                {
                    return representation == 1 ? DicomVR.SS : DicomVR.US;
                }
            }

            return DicomVR.US;
        }

        return choices.Contains(DicomVR.OW) ? DicomVR.OW : choices[0];
    }

    private static readonly DicomTag PixelRepresentationTag = new(0x0028, 0x0103);
    private static readonly DicomTag LutDescriptorTag = new(0x0028, 0x3002);
    private static readonly DicomTag LutDataTag = new(0x0028, 0x3006);

    private DicomSequence ReadSequence(DicomDataset owner, DicomTag tag, uint length, DicomEncoding encoding, int depth)
    {
        if (depth >= options.MaxDepth)
        {
            throw new DicomFormatException($"Sequences nest deeper than {options.MaxDepth} levels", tag, input.Position);
        }

        var sequence = new DicomSequence(tag);
        var end = length == UndefinedLength ? long.MaxValue : input.Position + length;
        while (true)
        {
            if (end != long.MaxValue && input.Position >= end)
            {
                if (input.Position > end)
                {
                    throw new DicomFormatException($"Sequence items run {input.Position - end} bytes past the sequence length", tag, input.Position);
                }

                break;
            }

            var itemStart = input.Position;
            if (!input.TryEnsure(8))
            {
                throw new DicomFormatException("The input ends inside a sequence", tag, itemStart);
            }

            var itemTag = PeekTag(encoding);
            var itemLength = ReadUInt32(input.Peek(8)[4..], encoding);
            input.Advance(8);
            if (itemTag == DicomTag.SequenceDelimitationItem)
            {
                if (end != long.MaxValue)
                {
                    throw new DicomFormatException("Sequence delimiter inside a defined-length sequence", tag, itemStart);
                }

                break;
            }

            if (itemTag != DicomTag.Item)
            {
                throw new DicomFormatException($"Expected an item tag in the sequence, found {itemTag}", tag, itemStart);
            }

            var item = new DicomDataset { Parent = owner };
            if (itemLength == UndefinedLength)
            {
                ReadElements(item, encoding, long.MaxValue, untilItemDelimiter: true, depth + 1);
            }
            else
            {
                if (itemLength > input.Remaining || (end != long.MaxValue && input.Position + itemLength > end))
                {
                    throw new DicomFormatException($"Item length {itemLength} runs past the end of its sequence or the input", tag, itemStart);
                }

                ReadElements(item, encoding, input.Position + itemLength, untilItemDelimiter: false, depth + 1);
            }

            sequence.Items.Add(item);
        }

        return sequence;
    }

    private DicomFragmentSequence ReadFragments(DicomTag tag, DicomVR vr, DicomEncoding encoding, long start)
    {
        if (!encoding.IsLittleEndian)
        {
            throw new DicomFormatException("Encapsulated pixel data in a big endian data set", tag, start);
        }

        DicomBuffer? offsetTable = null;
        var fragments = new List<DicomBuffer>();
        while (true)
        {
            var itemStart = input.Position;
            if (!input.TryEnsure(8))
            {
                throw new DicomFormatException("The input ends inside encapsulated pixel data", tag, itemStart);
            }

            var itemTag = PeekTag(encoding);
            var itemLength = ReadUInt32(input.Peek(8)[4..], encoding);
            input.Advance(8);
            if (itemTag == DicomTag.SequenceDelimitationItem)
            {
                break;
            }

            if (itemTag != DicomTag.Item)
            {
                throw new DicomFormatException($"Expected a fragment item, found {itemTag}", tag, itemStart);
            }

            if (itemLength == UndefinedLength || itemLength > input.Remaining)
            {
                throw new DicomFormatException($"Fragment length {itemLength} is undefined or exceeds the {input.Remaining} bytes left", tag, itemStart);
            }

            var value = ReadValue(tag, DicomVR.OB, itemLength, encoding, itemStart);
            if (offsetTable is null)
            {
                offsetTable = value;
            }
            else
            {
                fragments.Add(value);
            }
        }

        return new DicomFragmentSequence(tag, vr, offsetTable ?? DicomBuffer.Empty, fragments);
    }

    private DicomBuffer ReadValue(DicomTag tag, DicomVR vr, uint length, DicomEncoding encoding, long start)
    {
        if (length == 0)
        {
            return DicomBuffer.Empty;
        }

        var swapUnit = encoding.IsLittleEndian || vr == DicomVR.UN ? 1 : vr.UnitSize;
        if (file is not null && length >= options.LargeValueThreshold && input.CanSeek)
        {
            var buffer = new FileBuffer(file.Path, input.Position, length, swapUnit, file);
            if (!input.TrySkip(length))
            {
                throw new DicomFormatException($"Value length {length} exceeds the bytes left", tag, start);
            }

            return buffer;
        }

        if (length > options.MaxInMemoryValueLength)
        {
            throw new DicomFormatException($"Value length {length} exceeds the in-memory limit of {options.MaxInMemoryValueLength} bytes", tag, start);
        }

        byte[] bytes;
        if (input.StreamLength is not null || length <= 1 << 20)
        {
            // Bounded: the length was checked against what the stream holds, or is at most 1 MiB.
            bytes = GC.AllocateUninitializedArray<byte>((int)length);
            if (!input.TryRead(bytes))
            {
                throw new DicomFormatException($"The input ends inside a value of {length} bytes", tag, start);
            }
        }
        else
        {
            // A stream that cannot tell its length: grow with what actually arrives, never by the claim.
            using var collected = new MemoryStream();
            var chunk = new byte[1 << 20];
            long remaining = length;
            while (remaining > 0)
            {
                var n = (int)Math.Min(chunk.Length, remaining);
                if (!input.TryRead(chunk.AsSpan(0, n)))
                {
                    throw new DicomFormatException($"The input ends inside a value of {length} bytes", tag, start);
                }

                collected.Write(chunk, 0, n);
                remaining -= n;
            }

            bytes = collected.ToArray();
        }

        if (swapUnit > 1)
        {
            ByteSwap.InPlace(bytes, swapUnit);
        }

        return DicomBuffer.FromBytes(bytes);
    }

    private void Warn(DicomFormatException problem)
    {
        if (options.Strict)
        {
            throw problem;
        }

        if (warnings.Count < MaxWarnings)
        {
            warnings.Add(problem.Message);
        }
    }

    private const int MaxWarnings = 100;

    private static uint ReadUInt32(ReadOnlySpan<byte> bytes, DicomEncoding encoding) =>
        encoding.IsLittleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(bytes) : BinaryPrimitives.ReadUInt32BigEndian(bytes);
}

/// <summary>The two choices of a native encoding that matter to the element parser.</summary>
internal readonly record struct DicomEncoding(bool IsExplicitVR, bool IsLittleEndian)
{
    public static readonly DicomEncoding ImplicitLittle = new(false, true);
    public static readonly DicomEncoding ExplicitLittle = new(true, true);
    public static readonly DicomEncoding ExplicitBig = new(true, false);

    public static DicomEncoding Of(DicomTransferSyntax syntax) => new(syntax.IsExplicitVR, syntax.IsLittleEndian);
}
