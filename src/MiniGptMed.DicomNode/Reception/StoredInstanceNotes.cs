using System.Runtime.CompilerServices;
using MiniGptMed.Dicom.Network.Dimse;

namespace MiniGptMed.DicomNode.Reception;

/// <summary>
/// What recording an instance learned, kept for the request it came with until that request is gone: whether the node
/// held the instance before (the catalogue's write says it) and where the file is. The audit reads it after the store
/// has answered, instead of asking the catalogue once per instance (docs/benchmarks.md, "Ingest regression").
/// </summary>
internal sealed class StoredInstanceNotes
{
    // Keyed by the request object itself (reference identity), which the store hands to the sink and the audit holds;
    // an entry lives as long as its request, so nothing needs removing.
    private readonly ConditionalWeakTable<StoreRequest, Note> _notes = [];

    public void Add(StoreRequest request, bool heldBefore, string path) => _notes.AddOrUpdate(request, new Note(heldBefore, path));

    public Note? Find(StoreRequest request) => _notes.TryGetValue(request, out var note) ? note : null;

    /// <param name="HeldBefore">The catalogue had a row for the SOP Instance UID before this one replaced it.</param>
    /// <param name="Path">The stored file.</param>
    internal sealed record Note(bool HeldBefore, string Path);
}
