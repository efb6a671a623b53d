using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.Network.Association;
using MiniGptMed.Dicom.Network.Dimse;
using MiniGptMed.DicomNode.Reception;

namespace MiniGptMed.DicomNode.Audit;

/// <summary>
/// DICOM Instances Transferred for reception, aggregated as PS3.15 A.5.3.7 asks (one patient per message): the store
/// is wrapped to learn each instance's study and patient from the first bytes of its data set, and the handler
/// factory to send one message per study when its association ends. Nothing of it waits on the audit trail.
/// </summary>
internal sealed class StudyTransferAudit : IDicomStoreService, IPresentationDataHandlerFactory
{
    /// <summary>Enough for the attributes up to Study Instance UID of any ordinary header (they come before group 0028 and Pixel Data).</summary>
    private const int HeadLimit = 64 * 1024;

    // PS3.5 7.1: elements ascend by tag; everything the audit needs comes before Series Instance UID.
    private static readonly DicomReaderOptions HeadOptions = new() { StopBeforeTag = DicomTags.SeriesInstanceUID };

    private readonly ConcurrentDictionary<DicomAssociation, Transfers> _open = new();
    private readonly IDicomStoreService _store;
    private readonly IPresentationDataHandlerFactory _handlers;
    private readonly AuditTrail _trail;
    private readonly StoredInstanceNotes _notes;
    private readonly ILogger _logger;

    /// <param name="handlers">Makes the DIMSE handler factory that uses the store it is given (this, so that stores are seen).</param>
    /// <param name="notes">
    /// What recording each stored instance learned: whether the node held it before (the catalogue's write answers it,
    /// so there is no look-up per instance) and where its file is (to read back a long header).
    /// </param>
    public StudyTransferAudit(IDicomStoreService store, Func<IDicomStoreService, IPresentationDataHandlerFactory> handlers, AuditTrail trail,
        StoredInstanceNotes notes, ILogger logger)
    {
        _store = store;
        _handlers = handlers(this);
        _trail = trail;
        _notes = notes;
        _logger = logger;
    }

    public async ValueTask<IStoreSession> BeginStoreAsync(StoreRequest request, CancellationToken cancellationToken)
    {
        var session = await _store.BeginStoreAsync(request, cancellationToken).ConfigureAwait(false);
        return new Session(this, session, request);
    }

    public IPresentationDataHandler Create(DicomAssociation association) => new Handler(this, _handlers.Create(association));

    private void Completed(StoreRequest request, bool succeeded, byte[]? head, int headLength)
    {
        // The store records the row (and the note) before it answers; a refused instance has none.
        var note = _notes.Find(request);
        var study = ReadStudy(request, head, headLength, succeeded ? note?.Path : null);
        if (study is null)
        {
            return;
        }

        var transfers = _open.GetOrAdd(request.Association, _ => new Transfers());
        transfers.Add(study.Value, request.SopClassUid, note?.HeldBefore == true, succeeded);
    }

    private void Closed(DicomAssociation association)
    {
        if (!_open.TryRemove(association, out var transfers))
        {
            return;
        }

        var when = DateTimeOffset.UtcNow;
        foreach (var study in transfers.Studies())
        {
            _trail.Record(AuditMessages.InstancesReceived(
                association.CallingAeTitle, association.RemoteEndPoint.Address, association.CalledAeTitle,
                study.Transfer, study.AnyHeldBefore ? 'U' : 'C', study.Refused, when));
        }
    }

    private (string Study, string? PatientId, string? PatientName)? ReadStudy(StoreRequest request, byte[]? head, int headLength, string? storedPath)
    {
        DicomDataset? dataset = null;
        string? problem = null;
        if (head is not null && headLength > 0)
        {
            try
            {
                dataset = DicomFileReader.ReadDataset(head.AsMemory(0, headLength), DicomTransferSyntax.Lookup(request.TransferSyntaxUid), HeadOptions);
            }
            catch (Exception ex) when (ex is DicomFormatException or DicomDataException or EndOfStreamException or InvalidDataException or ArgumentException or KeyNotFoundException)
            {
                problem = ex.Message;
            }
        }

        if (dataset?.GetString(DicomTags.StudyInstanceUID) is null && storedPath is not null)
        {
            // A header longer than the kept prefix, or a deflated data set: the stored file says it.
            try
            {
                dataset = DicomFile.Open(storedPath, HeadOptions).Dataset;
            }
            catch (Exception ex) when (ex is DicomFormatException or DicomDataException or IOException or EndOfStreamException or InvalidDataException or UnauthorizedAccessException)
            {
                problem = ex.Message;
            }
        }

        if (dataset?.GetString(DicomTags.StudyInstanceUID) is not { Length: > 0 } studyUid)
        {
            AuditLog.StudyUnreadable(_logger, problem ?? "no Study Instance UID");
            return null;
        }

        return (studyUid, Trimmed(dataset.GetString(DicomTags.PatientID)), Trimmed(dataset.GetString(DicomTags.PatientName)));
    }

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>Per association: per study, the instances stored (per SOP class) and refused.</summary>
    private sealed class Transfers
    {
        private readonly Dictionary<string, Study> _studies = new(StringComparer.Ordinal);

        public void Add((string Uid, string? PatientId, string? PatientName) study, string sopClassUid, bool heldBefore, bool succeeded)
        {
            lock (_studies)
            {
                if (!_studies.TryGetValue(study.Uid, out var entry))
                {
                    entry = new Study(study.Uid, study.PatientId, study.PatientName);
                    _studies.Add(study.Uid, entry);
                }

                if (succeeded)
                {
                    entry.Classes[sopClassUid] = entry.Classes.GetValueOrDefault(sopClassUid) + 1;
                    entry.AnyHeldBefore |= heldBefore;
                }
                else
                {
                    entry.Refused++;
                }
            }
        }

        public List<(StudyTransfer Transfer, bool AnyHeldBefore, int Refused)> Studies()
        {
            lock (_studies)
            {
                return [.. _studies.Values.Select(s => (
                    new StudyTransfer(s.Uid, s.PatientId, s.PatientName, [.. s.Classes.Select(c => (c.Key, c.Value))]),
                    s.AnyHeldBefore,
                    s.Refused))];
            }
        }

        private sealed class Study(string uid, string? patientId, string? patientName)
        {
            public string Uid { get; } = uid;

            public string? PatientId { get; } = patientId;

            public string? PatientName { get; } = patientName;

            public Dictionary<string, int> Classes { get; } = new(StringComparer.Ordinal);

            public bool AnyHeldBefore { get; set; }

            public int Refused { get; set; }
        }
    }

    /// <summary>Passes every fragment on, keeping a copy of the first 64 KiB (the header), and reports the outcome.</summary>
    private sealed class Session(StudyTransferAudit audit, IStoreSession inner, StoreRequest request) : IStoreSession
    {
        private byte[]? _head;
        private int _headLength;

        public ValueTask WriteAsync(ReadOnlySequence<byte> fragment, CancellationToken cancellationToken)
        {
            if (_headLength < HeadLimit)
            {
                _head ??= ArrayPool<byte>.Shared.Rent(HeadLimit);
                var take = (int)Math.Min(HeadLimit - _headLength, fragment.Length);
                fragment.Slice(0, take).CopyTo(_head.AsSpan(_headLength));
                _headLength += take;
            }

            return inner.WriteAsync(fragment, cancellationToken);
        }

        public async ValueTask<StoreResult> CompleteAsync(CancellationToken cancellationToken)
        {
            var result = await inner.CompleteAsync(cancellationToken).ConfigureAwait(false);
            audit.Completed(request, DimseStatus.IsSuccessOrWarning(result.Status), _head, _headLength);
            return result;
        }

        public async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync().ConfigureAwait(false);
            if (_head is { } head)
            {
                _head = null;
                ArrayPool<byte>.Shared.Return(head);
            }
        }
    }

    private sealed class Handler(StudyTransferAudit audit, IPresentationDataHandler inner) : IPresentationDataHandler
    {
        public ValueTask OnCommandAsync(DicomAssociation association, PresentationContext context, ReadOnlyMemory<byte> commandSet, CancellationToken cancellationToken) =>
            inner.OnCommandAsync(association, context, commandSet, cancellationToken);

        public ValueTask OnDataFragmentAsync(DicomAssociation association, PresentationContext context, ReadOnlySequence<byte> fragment, bool isLast, CancellationToken cancellationToken) =>
            inner.OnDataFragmentAsync(association, context, fragment, isLast, cancellationToken);

        public async ValueTask OnClosedAsync(DicomAssociation association, Exception? error)
        {
            try
            {
                await inner.OnClosedAsync(association, error).ConfigureAwait(false);
            }
            finally
            {
                audit.Closed(association);
            }
        }
    }
}
