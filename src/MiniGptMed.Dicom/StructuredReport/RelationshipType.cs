namespace MiniGptMed.Dicom.StructuredReport;

/// <summary>
/// How a content item relates to its parent (PS3.3 C.17.3.2.4, Relationship Type (0040,A010)): a closed set
/// of descriptors, each knowing its defined term.
/// </summary>
public sealed class RelationshipType
{
    private RelationshipType(string code) => Code = code;

    /// <summary>The defined term, as written in (0040,A010).</summary>
    public string Code { get; }

    /// <summary>The parent contains the child (a section and its items).</summary>
    public static RelationshipType Contains { get; } = new("CONTAINS");

    /// <summary>The child describes properties of the parent.</summary>
    public static RelationshipType HasProperties { get; } = new("HAS PROPERTIES");

    /// <summary>The child conveys the observation context (observer, subject, procedure).</summary>
    public static RelationshipType HasObsContext { get; } = new("HAS OBS CONTEXT");

    /// <summary>The child conveys the conditions of acquisition of the parent (an image's descriptors).</summary>
    public static RelationshipType HasAcqContext { get; } = new("HAS ACQ CONTEXT");

    /// <summary>The parent was inferred from the child.</summary>
    public static RelationshipType InferredFrom { get; } = new("INFERRED FROM");

    /// <summary>The parent's coordinates were selected from the child (an image, a waveform).</summary>
    public static RelationshipType SelectedFrom { get; } = new("SELECTED FROM");

    /// <summary>The child qualifies or post-coordinates the parent's concept name.</summary>
    public static RelationshipType HasConceptMod { get; } = new("HAS CONCEPT MOD");

    public static IReadOnlyList<RelationshipType> All { get; } =
        [Contains, HasProperties, HasObsContext, HasAcqContext, InferredFrom, SelectedFrom, HasConceptMod];

    /// <summary>The relationship for a defined term, or null when the term is not one of PS3.3 C.17.3.2.4.</summary>
    public static RelationshipType? Find(string? code) =>
        All.FirstOrDefault(r => string.Equals(r.Code, code?.Trim(), StringComparison.Ordinal));

    public override string ToString() => Code;
}
