namespace MiniGptMed.Dicom.Data;

/// <summary>
/// Text across character sets: values are kept as bytes in the character set in force where they
/// are (PS3.5 7.5.3), so whenever that set changes (a new Specific Character Set, an item attached
/// to another data set, a value copied from another data set) the bytes are transcoded: decoded
/// with the old set, encoded with the new one. A value the new set cannot hold is an error naming
/// the tag and both sets; nothing is changed then.
/// </summary>
public sealed partial class DicomDataset
{
    /// <summary>
    /// Copies the elements <paramref name="tags"/> of <paramref name="source"/> (those it has) into
    /// this data set, transcoding text from the source's character set into this one's, so a patient
    /// name read in ISO 2022 IR 87 or ISO_IR 100 is written correctly under ISO_IR 192. Sequences are
    /// copied deeply. Set this data set's Specific Character Set first: it is not copied.
    /// </summary>
    /// <exception cref="DicomDataException">A value cannot be held by this data set's character set, or
    /// its bytes are not valid in the source's; nothing was copied.</exception>
    public DicomDataset CopyFrom(DicomDataset source, params IEnumerable<DicomTag> tags)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(tags);
        var copies = new List<DicomElement>();
        foreach (var tag in tags)
        {
            if (tag == SpecificCharacterSetTag)
            {
                throw new ArgumentException(
                    "Specific Character Set (0008,0005) is not copied: set this data set's own with AddOrUpdate, then copy the text into it.",
                    nameof(tags));
            }

            if (!source.TryGetElement(tag, out var element))
            {
                continue;
            }

            // Everything that can fail runs before this data set changes.
            copies.Add(element switch
            {
                DicomValueElement value => Transcoded(value, source.CharacterSet, CharacterSet) ?? value,
                DicomSequence sequence => CopySequence(sequence),
                DicomFragmentSequence fragments => fragments.Clone(),
                _ => element,
            });
        }

        foreach (var copy in copies)
        {
            AddOrUpdate(copy);
        }

        return this;
    }

    /// <summary>Moves this data set under <paramref name="parent"/>, transcoding its text if the character set in force changes.</summary>
    internal void AttachTo(DicomDataset? parent)
    {
        if (ReferenceEquals(Parent, parent))
        {
            return;
        }

        var from = CharacterSet;
        var previous = Parent;
        Parent = parent;
        try
        {
            TranscodeAll(from, CharacterSet);
        }
        catch
        {
            Parent = previous;
            throw;
        }
    }

    /// <summary>
    /// Re-encodes every text value of this data set (and of items that inherit its set) from
    /// <paramref name="from"/> into <paramref name="to"/>; all or nothing.
    /// </summary>
    private void TranscodeAll(DicomCharacterSet from, DicomCharacterSet to)
    {
        if (SameRepertoire(from, to))
        {
            return;
        }

        var plan = new List<(DicomDataset Dataset, int Index, DicomElement Element)>();
        PlanTranscode(this, from, to, plan);
        foreach (var (dataset, index, element) in plan)
        {
            dataset._elements[index] = element;
        }
    }

    private static void PlanTranscode(DicomDataset dataset, DicomCharacterSet from, DicomCharacterSet to, List<(DicomDataset, int, DicomElement)> plan)
    {
        for (var i = 0; i < dataset._elements.Count; i++)
        {
            switch (dataset._elements[i])
            {
                case DicomValueElement value when Transcoded(value, from, to) is { } transcoded:
                    plan.Add((dataset, i, transcoded));
                    break;
                case DicomSequence sequence:
                    foreach (var item in sequence.Items)
                    {
                        // PS3.5 7.5.3: an item with its own Specific Character Set does not inherit.
                        if (!item.Contains(SpecificCharacterSetTag))
                        {
                            PlanTranscode(item, from, to, plan);
                        }
                    }

                    break;
                default:
                    break;
            }
        }
    }

    /// <summary>The value re-encoded in <paramref name="to"/>, or null when its bytes mean the same in both sets.</summary>
    private static DicomValueElement? Transcoded(DicomValueElement value, DicomCharacterSet from, DicomCharacterSet to)
    {
        if (!value.VR.UsesSpecificCharacterSet || SameRepertoire(from, to) || value.Tag == SpecificCharacterSetTag)
        {
            return null;
        }

        var bytes = value.Buffer.GetMemory().Span;
        if (bytes.IndexOfAnyInRange((byte)0x80, (byte)0xFF) < 0 && bytes.IndexOf((byte)0x1B) < 0)
        {
            // Every set agrees on 0x00-0x7F without escape sequences (PS3.5 6.1.2.5.3).
            return null;
        }

        var text = from.Decode(bytes, value.VR, out var readWarning);
        if (readWarning is not null)
        {
            throw new DicomDataException(
                $"{value.Tag} {value.VR.Code}: the value is not valid in {from} ({readWarning}), so it cannot be re-encoded in {to} without loss.", value.Tag);
        }

        // The old padding is not part of the value (PS3.5 6.2); the new bytes get their own.
        var encoded = to.Encode(text.TrimEnd(' ', '\0'), value.VR, out var writeWarning);
        if (writeWarning is not null)
        {
            throw new DicomDataException(
                $"{value.Tag} {value.VR.Code}: {to} cannot hold every character of the value (read in {from}); declare a Specific Character Set that does, e.g. ISO_IR 192.", value.Tag);
        }

        return new DicomValueElement(value.Tag, value.VR, DicomBuffer.FromBytes(PadToEven(encoded, value.VR.PaddingByte)));
    }

    private DicomSequence CopySequence(DicomSequence sequence)
    {
        var items = new List<DicomDataset>(sequence.Items.Count);
        foreach (var item in sequence.Items)
        {
            // The clone keeps the source's context; attaching it here transcodes it (or throws) before
            // anything of this data set changes.
            var copy = item.Clone();
            copy.AttachTo(this);
            items.Add(copy);
        }

        return new DicomSequence(sequence.Tag, items);
    }

    /// <summary>
    /// Sets (0008,0005) from the string overload: the terms must be known, and the text already in
    /// this data set is transcoded into the new set (all or nothing).
    /// </summary>
    private DicomDataset SetSpecificCharacterSet(DicomVR vr, string[] terms)
    {
        if (vr != DicomVR.CS)
        {
            throw new DicomDataException($"{SpecificCharacterSetTag} Specific Character Set is CS, not {vr.Code}.", SpecificCharacterSetTag);
        }

        var values = DicomText.SplitValues(DicomText.JoinValues(terms), DicomVR.CS);
        var target = DicomCharacterSet.FromSpecificCharacterSet(values);
        if (target.Warnings.Count > 0)
        {
            throw new DicomDataException($"{SpecificCharacterSetTag} Specific Character Set: {string.Join(" ", target.Warnings)}", SpecificCharacterSetTag);
        }

        TranscodeAll(CharacterSet, target);
        var bytes = System.Text.Encoding.ASCII.GetBytes(DicomText.JoinValues(values));
        return AddOrUpdate(new DicomValueElement(SpecificCharacterSetTag, DicomVR.CS, DicomBuffer.FromBytes(PadToEven(bytes, DicomVR.CS.PaddingByte))));
    }

    private static bool SameRepertoire(DicomCharacterSet a, DicomCharacterSet b) =>
        ReferenceEquals(a, b)
        || (a.IsDefault && b.IsDefault)
        || a.Terms.Select(t => t.Trim(' ', '\0')).SequenceEqual(b.Terms.Select(t => t.Trim(' ', '\0')), StringComparer.Ordinal);
}
