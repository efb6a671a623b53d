using System.Collections;

namespace MiniGptMed.Dicom.Data;

/// <summary>
/// A data set: elements ordered by tag (PS3.5 7.1). Elements keep their raw bytes; the typed getters
/// and setters (DicomDataset.Values.cs) decode and encode on access with the data set's character set.
/// </summary>
public sealed partial class DicomDataset : IEnumerable<DicomElement>
{
    // Sorted by tag. Readers append in tag order, so Add is an append in the common case.
    private readonly List<DicomElement> _elements = [];
    private static readonly DicomTag SpecificCharacterSetTag = new(0x0008, 0x0005);
    private DicomCharacterSet? _characterSet;

    public DicomDataset()
    {
    }

    public DicomDataset(IEnumerable<DicomElement> elements)
    {
        foreach (var element in elements)
        {
            AddOrUpdate(element);
        }
    }

    /// <summary>
    /// The data set that holds the sequence this item belongs to (null at the top level). Set by
    /// <see cref="DicomSequenceItems"/> when the item is added, never by hand.
    /// </summary>
    public DicomDataset? Parent { get; internal set; }

    /// <summary>Whether this data set is an item of some sequence (an item has one parent).</summary>
    internal bool InSequence { get; set; }

    public int Count => _elements.Count;

    public DicomElement this[int index] => _elements[index];

    /// <summary>
    /// PS3.5 7.5.3 and PS3.3 C.12.1.1.2: the Specific Character Set of this data set, or, in a sequence
    /// item without one, the set of the enclosing data set.
    /// </summary>
    public DicomCharacterSet CharacterSet
    {
        get
        {
            if (_characterSet is not null)
            {
                return _characterSet;
            }

            if (TryGetElement(SpecificCharacterSetTag, out var element) && element is DicomValueElement value)
            {
                var terms = DicomText.SplitValues(System.Text.Encoding.ASCII.GetString(value.Buffer.GetMemory().Span), DicomVR.CS);
                return _characterSet = DicomCharacterSet.FromSpecificCharacterSet(terms);
            }

            return Parent?.CharacterSet ?? DicomCharacterSet.Default;
        }
    }

    public bool Contains(DicomTag tag) => IndexOf(tag) >= 0;

    public bool TryGetElement(DicomTag tag, out DicomElement element)
    {
        var index = IndexOf(tag);
        element = index >= 0 ? _elements[index] : null!;
        return index >= 0;
    }

    public DicomElement? GetElement(DicomTag tag) => TryGetElement(tag, out var element) ? element : null;

    /// <summary>Adds the element, replacing one with the same tag.</summary>
    public DicomDataset AddOrUpdate(DicomElement element)
    {
        if (element.Tag == SpecificCharacterSetTag)
        {
            _characterSet = null;
        }

        if (element is DicomSequence sequence)
        {
            // PS3.5 7.5.3: items use this data set's character set; transcodes them if they were filled in another.
            sequence.AttachTo(this);
        }

        var count = _elements.Count;
        if (count == 0 || _elements[count - 1].Tag < element.Tag)
        {
            _elements.Add(element);
            return this;
        }

        var index = IndexOf(element.Tag);
        if (index >= 0)
        {
            if (_elements[index] is DicomSequence replaced && !ReferenceEquals(replaced, element))
            {
                replaced.Detach();
            }

            _elements[index] = element;
        }
        else
        {
            _elements.Insert(~index, element);
        }

        return this;
    }

    public bool Remove(DicomTag tag)
    {
        var index = IndexOf(tag);
        if (index < 0)
        {
            return false;
        }

        if (tag == SpecificCharacterSetTag)
        {
            _characterSet = null;
        }

        (_elements[index] as DicomSequence)?.Detach();
        _elements.RemoveAt(index);
        return true;
    }

    /// <summary>Removes every element for which <paramref name="predicate"/> is true.</summary>
    public int RemoveAll(Predicate<DicomElement> predicate)
    {
        _characterSet = null;
        return _elements.RemoveAll(element =>
        {
            var remove = predicate(element);
            if (remove)
            {
                (element as DicomSequence)?.Detach();
            }

            return remove;
        });
    }

    public void Clear()
    {
        _characterSet = null;
        foreach (var sequence in _elements.OfType<DicomSequence>())
        {
            sequence.Detach();
        }

        _elements.Clear();
    }

    /// <summary>The elements of one group, for example the File Meta Information (0002).</summary>
    public IEnumerable<DicomElement> Group(ushort group) => _elements.Where(e => e.Tag.Group == group);

    /// <summary>
    /// A deep copy: sequences, their items and fragment lists are new objects, so changing the copy
    /// never changes the original; value bytes are shared (DicomBuffer is immutable). The copy is in
    /// no sequence; it keeps the original's parent only as the context of its character set.
    /// </summary>
    public DicomDataset Clone()
    {
        var copy = new DicomDataset { Parent = Parent };
        foreach (var element in _elements)
        {
            copy._elements.Add(element switch
            {
                DicomSequence sequence => sequence.CloneFor(copy),
                DicomFragmentSequence fragments => fragments.Clone(),
                _ => element,
            });
        }

        return copy;
    }

    /// <summary>
    /// PS3.5 7.8.1: the private creator (gggg,00xx) that reserves the block of a private element (gggg,xxyy).
    /// </summary>
    public string? GetPrivateCreator(DicomTag tag)
    {
        if (!tag.IsPrivate || tag.IsPrivateCreator || tag.Element < 0x1000)
        {
            return null;
        }

        return GetString(tag.PrivateCreatorTag);
    }

    /// <summary>
    /// Finds the private element <paramref name="elementOffset"/> (0x00-0xFF) of <paramref name="creator"/>'s
    /// block in <paramref name="group"/>, wherever that creator's block was reserved.
    /// </summary>
    public DicomTag? FindPrivateTag(ushort group, string creator, byte elementOffset)
    {
        for (ushort block = 0x10; block <= 0xFF; block++)
        {
            var creatorTag = new DicomTag(group, block);
            if (string.Equals(GetString(creatorTag), creator, StringComparison.Ordinal))
            {
                return new DicomTag(group, (ushort)((block << 8) | elementOffset));
            }
        }

        return null;
    }

    public IEnumerator<DicomElement> GetEnumerator() => _elements.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(DicomTag tag)
    {
        int lo = 0, hi = _elements.Count - 1;
        var key = tag.Value;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var value = _elements[mid].Tag.Value;
            if (value == key)
            {
                return mid;
            }

            if (value < key)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return ~lo;
    }
}
