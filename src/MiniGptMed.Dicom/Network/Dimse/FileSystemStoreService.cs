using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Win32.SafeHandles;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;

namespace MiniGptMed.Dicom.Network.Dimse;

/// <summary>Where and how carefully <see cref="FileSystemStoreService"/> keeps instances.</summary>
public sealed class FileSystemStoreOptions
{
    public required string RootDirectory { get; set; }

    /// <summary>
    /// Flush each instance to stable storage (fsync) before answering Success, so an acknowledged instance survives a
    /// power cut. Turning it off trades that guarantee for speed (the page cache still writes it out within seconds).
    /// </summary>
    public bool FlushToDisk { get; set; } = true;

    /// <summary>Below this much free space new instances are refused with A700 (out of resources), leaving room for the rest of the node.</summary>
    public long MinimumFreeBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Parse each received file before making it visible: a truncated or foreign data set is refused (C000/A900).</summary>
    public bool Validate { get; set; } = true;

    /// <summary>
    /// What to do with an instance whose Pixel Data does not fit its Image Pixel module (<see cref="PixelDataFit"/>):
    /// false (the default) refuses it with A900; true stores it, marks it not analysable in its File Preamble
    /// (<see cref="NotAnalysableMark"/>) and answers B007 (PS3.4 B.2.3: stored, but the data set does not match
    /// the SOP class).
    /// </summary>
    public bool KeepUnfitPixelData { get; set; }

    /// <summary>The clock of the received times told to the <see cref="IStoredInstanceSink"/>.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>For tests: called before each write stage of an instance; throwing an IOException there simulates a full or failing disk.</summary>
    internal Action<StoreStage>? BeforeStage { get; set; }
}

/// <summary>The steps at which storing an instance writes to the disk.</summary>
internal enum StoreStage
{
    Header,
    Values,
    Seal,
    Flush,
    Rename,
    DirectorySync,
}

/// <summary>
/// Stores each C-STORE data set as a Part 10 file <c>{root}/instances/{study}/{series}/{SOP Instance UID}.dcm</c>
/// (<see cref="InstanceLayout"/>): the fragments are written to a temporary file in <c>{root}/.incoming</c> behind a
/// meta header built from the command, the association (Source and Receiving AE Title) and the context's transfer
/// syntax, checked, sealed, flushed to disk and renamed into place, and told to the <see cref="IStoredInstanceSink"/>
/// (with flush, while the file is flushed: see the sink); only then is Success answered. No partial file is ever visible.
/// </summary>
/// <remarks>
/// Why an acknowledged instance survives a power cut right after Success although only its own file is fsynced on
/// the way (PS3.4 B.2.3: Success means the SCP has stored it):
/// <list type="number">
/// <item>The temporary file comes from <see cref="IncomingPool"/>, which fsynced <c>.incoming</c> after creating it
/// and before handing it out: its name there is durable.</item>
/// <item>Before Success the file is sealed (length and hash in its preamble, <see cref="InstanceSeal"/>) and
/// fsynced: fsync(2) makes its data and its inode, size included, durable.</item>
/// <item>The series folder's own name is durable before the first rename into it (<see cref="EnsureFolder"/>: its
/// parents are fsynced once per folder and process). The rename is made durable by the pool's group commit (one
/// fsync of each folder renamed into since the last) shortly after Success. If the power fails first, the rename is lost or kept as a whole: on the
/// journalling file systems the node runs on (ext4, XFS, btrfs) a rename is one journal transaction, so the file
/// is then under exactly one of its two names.</item>
/// <item>Under the old name, <see cref="IncomingRecovery"/> at the next start finds a file whose seal matches and
/// renames it into place. A file whose fsync had not finished fails the seal and is removed: it was never
/// acknowledged.</item>
/// </list>
/// When the pool is empty the file is created inline, its name not yet durable, and the old order applies: fsync of
/// the file, rename, fsync of the series folder, then Success.
/// </remarks>
public sealed class FileSystemStoreService : IDicomStoreService, IDisposable
{
    /// <summary>Pool files kept ready; refilled below half. 32 covers a burst of four associations for a few ms of refill.</summary>
    internal const int PoolSize = 32;

    private readonly FileSystemStoreOptions _options;
    private readonly ILogger _logger;
    private readonly string _incoming;
    private readonly string _instances;
    private readonly IncomingPool? _pool;
    private readonly IStoredInstanceSink? _sink;
    private readonly ConcurrentDictionary<string, byte> _durableFolders = new(StringComparer.Ordinal);
    private readonly Lock _folderLock = new();
    private FreeSpace? _freeBytesCache;

    /// <param name="sink">Told of each stored instance before Success (the node's catalogue); none in bare tests.</param>
    public FileSystemStoreService(FileSystemStoreOptions options, ILogger<FileSystemStoreService>? logger = null, IStoredInstanceSink? sink = null)
    {
        _options = options;
        _sink = sink;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        Directory.CreateDirectory(options.RootDirectory);
        _incoming = Path.Combine(options.RootDirectory, ".incoming");
        _instances = Path.Combine(options.RootDirectory, InstanceLayout.InstancesFolder);
        Directory.CreateDirectory(_incoming);
        Directory.CreateDirectory(_instances);
        if (options.FlushToDisk)
        {
            // The two folders' own names, once per start: every later fsync builds on them.
            DurableFileSystem.FlushDirectory(options.RootDirectory);
        }

        var reusable = IncomingRecovery.Run(_incoming, EnsureFolder, options.FlushToDisk, keepEmpty: options.FlushToDisk, _logger);
        if (options.FlushToDisk)
        {
            _pool = new IncomingPool(_incoming, PoolSize, _logger, reusable);
        }
    }

    /// <summary>The folder of the layout that holds every instance (<c>{root}/instances</c>).</summary>
    public string InstancesDirectory => _instances;

    /// <summary>The pool of durable temporary files; null with <see cref="FileSystemStoreOptions.FlushToDisk"/> off.</summary>
    internal IncomingPool? Pool => _pool;

    /// <summary>Stops the background worker after a last group commit of the renames.</summary>
    public void Dispose() => _pool?.Dispose();

    /// <summary>Where an instance of the study and series is kept (the UIDs are checked: <see cref="InstanceLayout"/>).</summary>
    public string PathFor(string studyInstanceUid, string seriesInstanceUid, string sopInstanceUid) =>
        Path.Combine(_options.RootDirectory, InstanceLayout.RelativePath(studyInstanceUid, seriesInstanceUid, sopInstanceUid));

    /// <summary>
    /// The stored file of an instance found by its SOP Instance UID alone, by a search of the layout's folders (for
    /// tests and tools; the node's catalogue is the index), or a path where nothing is when it is not stored.
    /// </summary>
    public string PathOf(string sopInstanceUid)
    {
        var name = InstanceLayout.IsSafeUid(sopInstanceUid) ? sopInstanceUid + InstanceLayout.Extension : "invalid" + InstanceLayout.Extension;
        foreach (var series in Directory.EnumerateDirectories(_instances).SelectMany(Directory.EnumerateDirectories))
        {
            var path = Path.Combine(series, name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        return Path.Combine(_instances, name);
    }

    /// <summary>
    /// The series folder, created if needed, whose name is durable before any file is renamed into it: the first time
    /// this process uses a folder (new, or left by an earlier run that may have died before its parent's fsync), its
    /// study folder and the instances folder are fsynced, once; every later instance of the series pays nothing here.
    /// </summary>
    internal string EnsureFolder(string studyInstanceUid, string seriesInstanceUid)
    {
        var study = Path.Combine(_instances, studyInstanceUid);
        var series = Path.Combine(study, seriesInstanceUid);
        if (_durableFolders.ContainsKey(series))
        {
            return series;
        }

        // Rare (once per series and process): one lock keeps two associations of a new series from both paying.
        lock (_folderLock)
        {
            if (_durableFolders.ContainsKey(series))
            {
                return series;
            }

            _options.BeforeStage?.Invoke(StoreStage.DirectorySync);
            Directory.CreateDirectory(series);
            if (_options.FlushToDisk)
            {
                if (!_durableFolders.ContainsKey(study))
                {
                    DurableFileSystem.FlushDirectory(_instances);
                    _durableFolders[study] = 0;
                }

                DurableFileSystem.FlushDirectory(study);
            }

            _durableFolders[series] = 0;
        }

        return series;
    }

    public ValueTask<IStoreSession> BeginStoreAsync(StoreRequest request, CancellationToken cancellationToken)
    {
        if (FreeBytes() is { } free && free < _options.MinimumFreeBytes)
        {
            return ValueTask.FromResult(StoreSession.Refuse(DimseStatus.OutOfResources, "Disk space below the node's watermark"));
        }

        try
        {
            return ValueTask.FromResult<IStoreSession>(Begin(request));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Disk full (or failing) before the first byte of the data set: refused like any later stage, the
            // association goes on and the peer may send again once there is room.
            DimseLog.StoreWriteFailed(_logger, request.Command.MessageId, ex);
            return ValueTask.FromResult(StoreSession.Refuse(DimseStatus.OutOfResources, StoreSession.WriteFailed));
        }
    }

    private Session Begin(StoreRequest request)
    {
        // A bare handle, written with pwrite(2) at explicit offsets: no FileStream buffer or position. FileShare.ReadWrite:
        // .NET still takes a shared flock(2) (strace shows LOCK_SH at open, LOCK_UN at close), which nothing conflicts with.
        string temp;
        SafeFileHandle file;
        PooledFile? taken = null;
        var pooled = _pool is not null && _pool.TryTake(out taken);
        if (pooled)
        {
            (temp, file) = (taken!.Path, taken.Handle);
        }
        else
        {
            temp = Path.Combine(_incoming, $"{Guid.NewGuid():N}.part");
            file = File.OpenHandle(temp, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite);
        }

        var seal = _options.FlushToDisk ? new InstanceSeal() : null;
        long written;
        try
        {
            var meta = new DicomDataset()
                .AddOrUpdate(DicomTags.FileMetaInformationVersion, DicomVR.OB, new byte[] { 0x00, 0x01 })
                .AddOrUpdate(DicomTags.MediaStorageSOPClassUID, DicomVR.UI, request.SopClassUid)
                .AddOrUpdate(DicomTags.MediaStorageSOPInstanceUID, DicomVR.UI, request.SopInstanceUid)
                .AddOrUpdate(DicomTags.TransferSyntaxUID, DicomVR.UI, request.TransferSyntaxUid)
                .AddOrUpdate(DicomTags.ImplementationClassUID, DicomVR.UI, DicomImplementation.ClassUid)
                .AddOrUpdate(DicomTags.ImplementationVersionName, DicomVR.SH, DicomImplementation.VersionName)
                .AddOrUpdate(DicomTags.SourceApplicationEntityTitle, DicomVR.AE, request.Association.CallingAeTitle)
                // PS3.10 7.1: the AE title that received it, so that a start after a crash can catalogue the file
                // under the listening AE it was sent to (assembly groups per called AE).
                .AddOrUpdate(DicomTags.ReceivingApplicationEntityTitle, DicomVR.AE, request.Association.CalledAeTitle);
            using var header = new MemoryStream(512);
            DicomFileWriter.WritePreambleAndMeta(header, meta);
            written = header.Length;
            _options.BeforeStage?.Invoke(StoreStage.Header);
            RandomAccess.Write(file, header.GetBuffer().AsSpan(0, (int)written), 0);
            seal?.Append(header.GetBuffer().AsSpan(InstanceSeal.PreambleLength, (int)written - InstanceSeal.PreambleLength));
        }
        catch
        {
            file.Dispose();
            TryDelete(temp);
            throw;
        }

        return new Session(this, request, file, temp, written, pooled, seal);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left in .incoming: not visible, and recovery removes it at the next start (it has no valid seal).
        }
    }

    /// <summary>Free space, asked of the file system at most once a second: on Linux DriveInfo reads the mount table each time.</summary>
    private long? FreeBytes()
    {
        var now = Environment.TickCount64;
        if (Volatile.Read(ref _freeBytesCache) is { } cached && now - cached.At < 1000)
        {
            return cached.Bytes;
        }

        long? bytes;
        try
        {
            bytes = new DriveInfo(_options.RootDirectory).AvailableFreeSpace;
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException)
        {
            bytes = null;
        }

        Volatile.Write(ref _freeBytesCache, new FreeSpace(now, bytes));
        return bytes;
    }

    private sealed record FreeSpace(long At, long? Bytes);

    private sealed class Session(FileSystemStoreService owner, StoreRequest request, SafeFileHandle file, string tempPath, long offset, bool pooled, InstanceSeal? seal) : IStoreSession
    {
        /// <summary>
        /// In flush mode, write-back of what has arrived is started every this many bytes (one default-size PDU), so
        /// the disk writes while the rest arrives and the fsync before Success waits for the tail only. Measured on
        /// the 500-slice CT series: median fsync 0.99 ms with no early write-back, 0.40 ms with it; for a 1 GB
        /// instance the final fsync went from 0.6 s to under 12 ms.
        /// </summary>
        private const long WriteBackChunk = 128 * 1024;

        private readonly DataSetHeadCheck _headCheck = new();
        private readonly List<ReadOnlyMemory<byte>> _segments = [];
        private long _offset = offset;
        private long _writeBackFrom;
        private bool _done;

        public ValueTask WriteAsync(ReadOnlySequence<byte> fragment, CancellationToken cancellationToken)
        {
            _headCheck.Observe(fragment);
            owner._options.BeforeStage?.Invoke(StoreStage.Values);
            if (fragment.IsSingleSegment)
            {
                RandomAccess.Write(file, fragment.FirstSpan, _offset);
                seal?.Append(fragment.FirstSpan);
            }
            else
            {
                // A fragment arrives as several receive-buffer segments: one pwritev(2) of all of them, no copy.
                _segments.Clear();
                foreach (var segment in fragment)
                {
                    _segments.Add(segment);
                    seal?.Append(segment.Span);
                }

                RandomAccess.Write(file, _segments, _offset);
            }

            _offset += fragment.Length;
            if (owner._options.FlushToDisk && _offset - _writeBackFrom >= WriteBackChunk)
            {
                DurableFileSystem.StartWriteBack(file, _writeBackFrom, _offset - _writeBackFrom);
                _writeBackFrom = _offset;
            }

            return ValueTask.CompletedTask;
        }

        public async ValueTask<StoreResult> CompleteAsync(CancellationToken cancellationToken)
        {
            var options = owner._options;
            var result = StoreResult.Success;
            var syntax = DicomTransferSyntax.Lookup(request.TransferSyntaxUid);
            InstanceFacts? facts = null;
            if (options.Validate)
            {
                string? pixelProblem;
                if (_headCheck.ProvesComplete(syntax, request.SopClassUid, request.SopInstanceUid))
                {
                    pixelProblem = _headCheck.PixelProblem;
                }
                else if (Check(out pixelProblem, out facts) is { } failure)
                {
                    return failure;
                }

                if (pixelProblem is not null)
                {
                    if (!options.KeepUnfitPixelData)
                    {
                        return new StoreResult(DimseStatus.DataSetDoesNotMatchSopClass, "Pixel Data does not fit the Image Pixel module", pixelProblem);
                    }

                    // Kept, but marked so that the analysis never takes it for an image (one pwrite, this case only).
                    options.BeforeStage?.Invoke(StoreStage.Seal);
                    NotAnalysableMark.WriteTo(file);
                    result = new StoreResult(DimseStatus.DataSetDoesNotMatchSopClassWarning, "Stored, not analysable: Pixel Data does not fit", pixelProblem);
                }
            }
            else
            {
                _ = _headCheck.ProvesComplete(syntax, request.SopClassUid, request.SopInstanceUid);
            }

            // The head's parse when it was conclusive, else the full parse (already made above, or made now).
            facts ??= _headCheck.Facts ?? ReadFacts();
            if (facts is not { HasLayoutUids: true })
            {
                // PS3.3 C.7.2.1/C.7.3.1: Type 1 in every storage IOD; they name the file's folders, so one that is
                // missing or not a UID (a path-like value included) is refused before it touches a path.
                return new StoreResult(DimseStatus.CannotUnderstand, "Study or Series Instance UID missing or invalid");
            }

            // The instance's bytes are final: its place in the layout and what the sink is told are known now.
            var folder = owner.EnsureFolder(facts.StudyInstanceUid!, facts.SeriesInstanceUid!);
            var stored = new StoredInstance(request, Path.Combine(folder, request.SopInstanceUid + InstanceLayout.Extension), _offset, options.Time.GetUtcNow(), facts);
            Task? recording = null;
            if (seal is not null)
            {
                options.BeforeStage?.Invoke(StoreStage.Seal);
                seal.WriteTo(file, _offset);

                // With flush, the sink (the node's catalogue row, a commit without an fsync of its own) is told on
                // another thread while this one waits for the disk, so that each instance pays for the longer of the
                // two rather than their sum (docs/benchmarks.md, "The catalogue's row beside the flush"). Success
                // still waits for both. Should the flush or the rename fail, the sink is told to forget it again.
                if (owner._sink is { } sink)
                {
                    recording = Task.Run(() => sink.InstanceStoredAsync(stored, CancellationToken.None).AsTask(), CancellationToken.None);
                }

                try
                {
                    options.BeforeStage?.Invoke(StoreStage.Flush);
                    RandomAccess.FlushToDisk(file);
                }
                catch (Exception) when (recording is not null)
                {
                    await ForgetAsync(recording, stored).ConfigureAwait(false);
                    throw;
                }
            }

            file.Dispose();
            try
            {
                options.BeforeStage?.Invoke(StoreStage.Rename);
                File.Move(tempPath, stored.Path, overwrite: true);
                _done = true;
                if (pooled)
                {
                    // Durable already through recovery (see the class remarks); the folder's fsync follows in the background.
                    owner._pool!.Renamed(folder);
                }
                else if (options.FlushToDisk)
                {
                    // The rename is durable only once the directory is (PS3.4 B.2.3 Success means the instance is kept).
                    // Should this fail, the peer gets A700 and sends again: the file is taken away again so that what is
                    // visible agrees with the answer (a file that is there without Success would be harmless, but confusing).
                    try
                    {
                        options.BeforeStage?.Invoke(StoreStage.DirectorySync);
                        DurableFileSystem.FlushDirectory(folder);
                    }
                    catch (IOException)
                    {
                        TryDelete(stored.Path);
                        throw;
                    }
                }
            }
            catch (Exception) when (recording is not null)
            {
                await ForgetAsync(recording, stored).ConfigureAwait(false);
                throw;
            }

            // Before Success: the node's catalogue has the row (group-committed, no fsync of its own; the sealed
            // file is the truth, and the node reconciles the two at start should it die in between). Not cancelled
            // with the association: once the file is in place its row follows, so that the catalogue does not wait
            // for the next start to learn of a file a peer that vanished had sent.
            if (recording is null && owner._sink is { } inlineSink)
            {
                recording = inlineSink.InstanceStoredAsync(stored, CancellationToken.None).AsTask();
            }

            if (recording is not null)
            {
                try
                {
                    await recording.ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    // Not acknowledged, so the peer sends it again; the file stays and the start's reconciliation
                    // records it should the node stop first.
                    DimseLog.StoreRecordFailed(owner._logger, request.Command.MessageId, ex);
                    return new StoreResult(DimseStatus.OutOfResources, "Could not record the instance");
                }
            }

            return result;
        }

        public ValueTask DisposeAsync()
        {
            _headCheck.Dispose();
            file.Dispose();
            if (!_done)
            {
                TryDelete(tempPath);
            }

            return ValueTask.CompletedTask;
        }

        /// <summary>
        /// The instance was told to the sink but could not be stored after all (its flush or rename failed): once the
        /// sink has finished with it, it is told to forget it, so that its record follows what is at the path (an
        /// earlier copy, or nothing). A failure here is logged; the node's reconciliation at the next start corrects it.
        /// </summary>
        private async Task ForgetAsync(Task recording, StoredInstance stored)
        {
            try
            {
                await recording.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Not recorded, so nothing to forget beyond what the sink's own failure left (the store fails anyway).
            }

            try
            {
                await owner._sink!.InstanceNotStoredAsync(stored, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                DimseLog.StoreForgetFailed(owner._logger, request.Command.MessageId, ex);
            }
        }

        /// <summary>
        /// PS3.4 B.2.3: C000 when the data set cannot be parsed, A900 when it is not the instance the command announced.
        /// Also says whether its Pixel Data fits, from the same parse (no second read).
        /// </summary>
        private StoreResult? Check(out string? pixelProblem, out InstanceFacts? facts)
        {
            pixelProblem = null;
            facts = null;
            DicomFile parsed;
            try
            {
                parsed = DicomFile.Open(tempPath);
            }
            catch (Exception ex) when (ex is DicomFormatException or DicomDataException or EndOfStreamException or InvalidDataException)
            {
                return new StoreResult(DimseStatus.CannotUnderstand, "Data set cannot be parsed");
            }

            if (parsed.Dataset.GetString(DicomTags.SOPClassUID) != request.SopClassUid)
            {
                return new StoreResult(DimseStatus.DataSetDoesNotMatchSopClass, "SOP Class UID differs from the command");
            }

            if (parsed.Dataset.GetString(DicomTags.SOPInstanceUID) != request.SopInstanceUid)
            {
                return new StoreResult(DimseStatus.DataSetDoesNotMatchSopClass, "SOP Instance UID differs from the command");
            }

            facts = InstanceFacts.From(parsed.Dataset);
            pixelProblem = parsed.Dataset.GetElement(DicomTags.PixelData) switch
            {
                DicomFragmentSequence fragments => PixelDataFit.CheckEncapsulated(parsed.Dataset, fragments),
                DicomValueElement native => PixelDataFit.CheckNative(parsed.Dataset, native.Length),
                _ => null,
            };
            return null;
        }

        /// <summary>The facts from a parse of the written file up to Pixel Data, when the head was not conclusive and nothing else parsed it.</summary>
        private InstanceFacts? ReadFacts()
        {
            try
            {
                return InstanceFacts.From(DicomFile.Open(tempPath, FactsOptions).Dataset);
            }
            catch (Exception ex) when (ex is DicomFormatException or DicomDataException or EndOfStreamException or InvalidDataException)
            {
                return null;
            }
        }
    }

    private static readonly DicomReaderOptions FactsOptions = new() { StopBeforeTag = new DicomTag(0x7FE0, 0x0010) };
}
