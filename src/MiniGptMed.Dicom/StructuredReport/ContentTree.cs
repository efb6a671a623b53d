using System.Text;
using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.StructuredReport;

/// <summary>
/// Reads the content tree of an SR document (PS3.3 C.17.3): the root CONTAINER is the document's own data set,
/// its descendants the items of nested Content Sequences. What comes back is views over the data set read, so
/// it is the tree that was written.
/// </summary>
public static class ContentTree
{
    /// <summary>The deepest nesting read; TID 1500 needs 6, PS3.3 sets no limit, a hostile file might.</summary>
    public const int MaxDepth = 64;

    /// <summary>The root CONTAINER of <paramref name="document"/>.</summary>
    /// <exception cref="DicomDataException">The data set has no content tree (its Value Type is not CONTAINER) or
    /// nests deeper than <see cref="MaxDepth"/>, or an item has no Value Type or no known Relationship Type.</exception>
    public static ContainerContentItem Read(DicomDataset document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (ContentItem.From(document) is not ContainerContentItem root || root.Relationship is not null)
        {
            throw new DicomDataException("The data set is not an SR document: its Value Type (0040,A040) is not CONTAINER at the root (PS3.3 C.17.3).", DicomTags.ValueType);
        }

        Check(root, 1);
        return root;
    }

    /// <summary>
    /// The tree as indented text, one item a line: relationship, value type, concept name, value. Stable, so two
    /// trees are the same when their descriptions are.
    /// </summary>
    public static string Describe(ContentItem root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var text = new StringBuilder();
        Describe(root, 0, text);
        return text.ToString();
    }

    /// <summary>Every item under <paramref name="root"/> (not itself), depth first.</summary>
    public static IEnumerable<ContentItem> Descendants(ContentItem root)
    {
        ArgumentNullException.ThrowIfNull(root);
        foreach (var child in root.Children)
        {
            yield return child;
            foreach (var descendant in Descendants(child))
            {
                yield return descendant;
            }
        }
    }

    private static void Check(ContentItem item, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new DicomDataException($"The content tree nests deeper than {MaxDepth} levels.", DicomTags.ContentSequence);
        }

        foreach (var child in item.Children)
        {
            if (child.ValueType.Length == 0)
            {
                throw new DicomDataException($"A content item at depth {depth} has no Value Type (0040,A040).", DicomTags.ValueType);
            }

            if (child.Relationship is null)
            {
                throw new DicomDataException($"A {child.ValueType} item at depth {depth} has no Relationship Type (0040,A010) that PS3.3 C.17.3.2.4 defines.", DicomTags.RelationshipType);
            }

            Check(child, depth + 1);
        }
    }

    private static void Describe(ContentItem item, int depth, StringBuilder text)
    {
        text.Append(' ', depth * 2).Append(item).Append('\n');
        foreach (var child in item.Children)
        {
            Describe(child, depth + 1, text);
        }
    }
}
