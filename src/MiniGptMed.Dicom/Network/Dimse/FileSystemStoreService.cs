using System.Buffers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
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
}

/// <summary>
/// Stores each C-STORE data set as a Part 10 file <c>{root}/{SOP Instance UID}.dcm</c>: the fragments are written to
/// a temporary file in <c>{root}/.incoming</c> behind a meta header built from the command and the context's transfer
/// syntax, flushed to disk, then renamed into place. Only then is Success answered; no partial file is ever visible.
/// </summary>
public sealed class FileSystemStoreService : IDicomStoreService
{
    private readonly FileSystemStoreOptions _options;
    private readonly ILogger _logger;
    private readonly string _incoming;
    private FreeSpace? _freeBytesCache;

    public FileSystemStoreService(FileSystemStoreOptions options, ILogger<FileSystemStoreService>? logger = null)
    {
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        Directory.CreateDirectory(options.RootDirectory);
        _incoming = Path.Combine(options.RootDirectory, ".incoming");
        Directory.CreateDirectory(_incoming);
    }

    public string PathFor(string sopInstanceUid) => Path.Combine(_options.RootDirectory, sopInstanceUid + ".dcm");

    public ValueTask<IStoreSession> BeginStoreAsync(StoreRequest request, CancellationToken cancellationToken)
    {
        if (FreeBytes() is { } free && free < _options.MinimumFreeBytes)
        {
            DimseLog.StoreRefused(_logger, request.SopInstanceUid, DimseStatus.OutOfResources, $"{free} bytes free");
            return ValueTask.FromResult(StoreSession.Refuse(DimseStatus.OutOfResources, "Disk space below the node's watermark"));
        }

        var temp = Path.Combine(_incoming, $"{Guid.NewGuid():N}.part");
        // Synchronous, unbuffered: each fragment goes to the page cache in one write(2); Linux has no truly asynchronous
        // buffered file I/O, so "async" file writes would only add a thread-pool hop per fragment.
        var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.None);
        try
        {
            var meta = new DicomDataset()
                .AddOrUpdate(DicomTags.FileMetaInformationVersion, DicomVR.OB, new byte[] { 0x00, 0x01 })
                .AddOrUpdate(DicomTags.MediaStorageSOPClassUID, DicomVR.UI, request.SopClassUid)
                .AddOrUpdate(DicomTags.MediaStorageSOPInstanceUID, DicomVR.UI, request.SopInstanceUid)
                .AddOrUpdate(DicomTags.TransferSyntaxUID, DicomVR.UI, request.TransferSyntaxUid)
                .AddOrUpdate(DicomTags.ImplementationClassUID, DicomVR.UI, DicomImplementation.ClassUid)
                .AddOrUpdate(DicomTags.ImplementationVersionName, DicomVR.SH, DicomImplementation.VersionName)
                .AddOrUpdate(DicomTags.SourceApplicationEntityTitle, DicomVR.AE, request.Association.CallingAeTitle);
            using var header = new MemoryStream();
            DicomFileWriter.WritePreambleAndMeta(header, meta);
            file.Write(header.GetBuffer(), 0, (int)header.Length);
        }
        catch
        {
            file.Dispose();
            File.Delete(temp);
            throw;
        }

        return ValueTask.FromResult<IStoreSession>(new Session(this, request, file, temp));
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

    private sealed class Session(FileSystemStoreService owner, StoreRequest request, FileStream file, string tempPath) : IStoreSession
    {
        private bool _done;

        public ValueTask WriteAsync(ReadOnlySequence<byte> fragment, CancellationToken cancellationToken)
        {
            if (fragment.IsSingleSegment)
            {
                file.Write(fragment.FirstSpan);
                return ValueTask.CompletedTask;
            }

            // A fragment arrives as the pipe's 4 KiB segments: one write per fragment instead of one per
            // segment saves some thirty system calls per 128 KiB PDU. The copy is bounded by the PDU size.
            var length = (int)fragment.Length;
            var buffer = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                fragment.CopyTo(buffer);
                file.Write(buffer, 0, length);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            return ValueTask.CompletedTask;
        }

        public async ValueTask<StoreResult> CompleteAsync(CancellationToken cancellationToken)
        {
            if (owner._options.FlushToDisk)
            {
                RandomAccess.FlushToDisk(file.SafeFileHandle);
            }

            await file.DisposeAsync().ConfigureAwait(false);
            if (owner._options.Validate && Check() is { } failure)
            {
                DimseLog.StoreRefused(owner._logger, request.SopInstanceUid, failure.Status, failure.ErrorComment ?? string.Empty);
                return failure;
            }

            File.Move(tempPath, owner.PathFor(request.SopInstanceUid), overwrite: true);
            _done = true;
            return StoreResult.Success;
        }

        public async ValueTask DisposeAsync()
        {
            await file.DisposeAsync().ConfigureAwait(false);
            if (!_done)
            {
                try
                {
                    File.Delete(tempPath);
                }
                catch (IOException)
                {
                }
            }
        }

        /// <summary>PS3.4 B.2.3: C000 when the data set cannot be parsed, A900 when it is not the instance the command announced.</summary>
        private StoreResult? Check()
        {
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

            return null;
        }
    }
}
