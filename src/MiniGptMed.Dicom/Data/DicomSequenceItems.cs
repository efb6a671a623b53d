using System.Collections.ObjectModel;

namespace MiniGptMed.Dicom.Data;

/// <summary>
/// The items of a <see cref="DicomSequence"/>. Adding an item makes it a child of the data set that
/// holds the sequence, so its text is read and written in that data set's character set
/// (PS3.5 7.5.3); text already in the item is transcoded when the set changes. An item belongs to
/// one sequence at a time: add a <see cref="DicomDataset.Clone"/> to put the same content in two.
/// </summary>
public sealed class DicomSequenceItems : Collection<DicomDataset>
{
    private readonly DicomSequence _sequence;

    internal DicomSequenceItems(DicomSequence sequence)
    {
        _sequence = sequence;
    }

    protected override void InsertItem(int index, DicomDataset item)
    {
        Accept(item);
        base.InsertItem(index, item);
    }

    protected override void SetItem(int index, DicomDataset item)
    {
        if (ReferenceEquals(this[index], item))
        {
            return;
        }

        Accept(item);
        this[index].InSequence = false;
        base.SetItem(index, item);
    }

    protected override void RemoveItem(int index)
    {
        this[index].InSequence = false;
        base.RemoveItem(index);
    }

    protected override void ClearItems()
    {
        foreach (var item in this)
        {
            item.InSequence = false;
        }

        base.ClearItems();
    }

    private void Accept(DicomDataset item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.InSequence)
        {
            throw new InvalidOperationException(
                $"The item is already in a sequence; add a Clone() of it to {_sequence.Tag} instead (an item has one parent data set).");
        }

        // Before the sequence is in a data set the item keeps its parent (the reader sets it); the
        // sequence attaches every item when it is added to one.
        if (_sequence.Owner is { } owner)
        {
            item.AttachTo(owner);
        }

        item.InSequence = true;
    }
}
