using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace MiniGptMed.Dicom.Network.Dimse;

/// <summary>
/// Empty files in <c>{root}/.incoming</c> whose directory entries are already on disk, handed out to store sessions,
/// and the group commit of the renames out of it. One background thread does both, so that the receiving thread
/// pays for a single fsync (its own file's) per instance:
/// <list type="bullet">
/// <item>Refill: below half of <see cref="Size"/> it creates files up to <see cref="Size"/> and fsyncs
/// <c>.incoming</c> once for the batch, before any of them is handed out.</item>
/// <item>Group commit: each rename into a folder of the layout is counted and its folder noted; one fsync of each
/// noted folder covers every rename into it counted before it started. It runs once <see cref="GroupCommitRenames"/> renames are pending, when renames have waited
/// <see cref="GroupCommitDelay"/>, and always before an fsync of <c>.incoming</c>, so the removal of a name from
/// <c>.incoming</c> is never flushed ahead of its arrival in the root.</item>
/// </list>
/// Batching matters on ext4: each directory fsync is a journal commit, and a commit running in the background
/// delays the receiving thread's own fsync arriving meanwhile. With one commit per rename the trace of the 500-slice
/// series showed 520 background fsyncs for 500 instances; with these thresholds, 92.
/// Delaying the root's fsync costs no safety: until it runs, recovery covers the renames (see
/// <see cref="FileSystemStoreService"/>).
/// </summary>
internal sealed class IncomingPool : IDisposable
{
    private readonly string _incoming;
    private readonly ILogger _logger;
    private readonly ConcurrentQueue<PooledFile> _files = new();
    private readonly AutoResetEvent _wake = new(false);
    private readonly Thread _worker;
    private TaskCompletionSource _nextBatch = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, byte> _pendingFolders = new(StringComparer.Ordinal);
    private int _pendingRenames;
    private volatile bool _disposed;

    /// <summary>Fills the pool (synchronously, so the first instances find it full) and starts the worker.</summary>
    /// <param name="reusable">Empty files already in <c>.incoming</c> (left by an earlier run), taken into the first batch.</param>
    public IncomingPool(string incoming, int size, ILogger logger, IEnumerable<string> reusable)
    {
        _incoming = incoming;
        _logger = logger;
        Size = size;
        Refill(reusable);
        _worker = new Thread(Run) { IsBackground = true, Name = "store-durability" };
        _worker.Start();
    }

    /// <summary>Pending renames that wake the worker for a group commit.</summary>
    public const int GroupCommitRenames = 16;

    /// <summary>How long a rename waits at most for its group commit when fewer are pending.</summary>
    public static readonly TimeSpan GroupCommitDelay = TimeSpan.FromMilliseconds(100);

    public int Size { get; }

    /// <summary>Files ready to be handed out now.</summary>
    public int Count => _files.Count;

    /// <summary>Completes when the worker next publishes a batch of new files (for tests).</summary>
    public Task NextBatch => Volatile.Read(ref _nextBatch).Task;

    /// <summary>Takes a file whose name in <c>.incoming</c> is durable, open for writing; false when the pool is empty.</summary>
    public bool TryTake(out PooledFile file)
    {
        if (_disposed || !_files.TryDequeue(out file!))
        {
            file = null!;
            Wake();
            return false;
        }

        if (_files.Count < Size / 2)
        {
            Wake();
        }

        return true;
    }

    /// <summary>A pooled file was renamed into <paramref name="folder"/>: the next group commit makes that rename durable.</summary>
    public void Renamed(string folder)
    {
        // Noted, then counted: a commit that takes the folder out after this point fsyncs it after the rename; one
        // that took it out before sees the count and runs again. A Dispose that begins after this point still sees
        // it in the worker's last commit.
        _pendingFolders[folder] = 0;
        var pending = Interlocked.Increment(ref _pendingRenames);
        if (_disposed)
        {
            // A session that outlived the service: the worker may be gone, so the rename is flushed here.
            DurableFileSystem.FlushDirectory(folder);
        }
        else if (pending == GroupCommitRenames)
        {
            Wake();
        }
    }

    /// <summary>Stops the worker after a last group commit. Files still in the pool stay (empty) for the next start.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _wake.Set();
        _worker.Join();
        _wake.Dispose();
        while (_files.TryDequeue(out var file))
        {
            file.Handle.Dispose();
        }
    }

    private void Wake()
    {
        try
        {
            _wake.Set();
        }
        catch (ObjectDisposedException)
        {
            // Disposed meanwhile: the worker has made its last commit, and Renamed flushes inline from now on.
        }
    }

    private void Run()
    {
        while (!_disposed)
        {
            // A timeout only while renames are pending: an idle node does not wake.
            _wake.WaitOne(Volatile.Read(ref _pendingRenames) > 0 ? GroupCommitDelay : Timeout.InfiniteTimeSpan);
            CommitRenames();
            if (!_disposed && _files.Count < Size / 2)
            {
                Refill([]);
            }
        }

        CommitRenames();
    }

    private void CommitRenames()
    {
        if (Interlocked.Exchange(ref _pendingRenames, 0) == 0)
        {
            return;
        }

        foreach (var folder in _pendingFolders.Keys)
        {
            // Out before the fsync: a rename noted again after this point gets the next commit.
            _pendingFolders.TryRemove(folder, out _);
            try
            {
                DurableFileSystem.FlushDirectory(folder);
            }
            catch (IOException ex)
            {
                // The instances were acknowledged; their data is on disk under a durable name in .incoming, where
                // recovery at the next start finds them should the renames be lost.
                DimseLog.DirectoryFlushFailed(_logger, folder, ex);
            }
        }
    }

    private void Refill(IEnumerable<string> reusable)
    {
        var batch = new List<PooledFile>();
        try
        {
            foreach (var path in reusable)
            {
                batch.Add(new PooledFile(path, File.OpenHandle(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite)));
            }

            for (var missing = Size - _files.Count - batch.Count; missing > 0; missing--)
            {
                var path = Path.Combine(_incoming, $"{Guid.NewGuid():N}.part");
                // FileShare.ReadWrite: .NET takes only a shared flock(2), which nothing conflicts with.
                batch.Add(new PooledFile(path, File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite)));
            }

            CommitRenames();
            DurableFileSystem.FlushDirectory(_incoming);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Names not proven durable are not handed out; sessions fall back to files created inline.
            DimseLog.DirectoryFlushFailed(_logger, _incoming, ex);
            foreach (var file in batch)
            {
                file.Handle.Dispose();
                try
                {
                    File.Delete(file.Path);
                }
                catch (Exception deleteFailure) when (deleteFailure is IOException or UnauthorizedAccessException)
                {
                    // An empty file left behind is reused or removed by recovery at the next start.
                }
            }

            return;
        }

        foreach (var file in batch)
        {
            _files.Enqueue(file);
        }

        Interlocked.Exchange(ref _nextBatch, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }
}

/// <summary>An empty file in <c>.incoming</c> with a durable name, open for writing.</summary>
internal sealed record PooledFile(string Path, SafeFileHandle Handle);
