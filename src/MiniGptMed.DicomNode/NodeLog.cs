using Microsoft.Extensions.Logging;

namespace MiniGptMed.DicomNode;

/// <summary>The host's log messages: event IDs 5000-5099. AE titles, addresses and paths only, never patient data.</summary>
internal static partial class NodeLog
{
    [LoggerMessage(5000, LogLevel.Information, "Reception: AE titles {AeTitles} on port {Port}; storing into {DataDirectory} (flush before Success: {Flush}); {Sources} known sources")]
    public static partial void ReceptionStarted(ILogger logger, string aeTitles, int port, string dataDirectory, bool flush, int sources);

    [LoggerMessage(5001, LogLevel.Information, "Access rules reloaded: {ListeningAes} listening AE titles, {Sources} known sources")]
    public static partial void AccessRulesReloaded(ILogger logger, int listeningAes, int sources);

    [LoggerMessage(5002, LogLevel.Error, "The edited configuration is not valid; the previous access rules stay in force: {Problem}")]
    public static partial void AccessRulesInvalid(ILogger logger, string problem);

    [LoggerMessage(5003, LogLevel.Warning, "Reception:TransferSyntaxes lists {Uid}, which cannot be decoded here; it is not offered")]
    public static partial void TransferSyntaxNotDecodable(ILogger logger, string uid);

    [LoggerMessage(5004, LogLevel.Warning, "Reconciliation: {Count} file(s) under {Directory} are not instances where the layout puts them; left in place, not catalogued")]
    public static partial void StoredFilesSkipped(ILogger logger, int count, string directory);

    [LoggerMessage(5005, LogLevel.Information, "Data folder: {DataDirectory}")]
    public static partial void DataFolder(ILogger logger, string dataDirectory);

    [LoggerMessage(5006, LogLevel.Warning, "The data folder {DataDirectory} is on {FileSystem} (mounted at {MountPoint}) without a journal: an instance acknowledged just before a power cut can be lost if its rename out of .incoming had not reached the disk (fsck may leave it in lost+found). Keep the data folder on a journalling file system (ext4 with its journal, XFS, btrfs)")]
    public static partial void DataFolderWithoutJournal(ILogger logger, string dataDirectory, string fileSystem, string mountPoint);

    [LoggerMessage(5007, LogLevel.Warning, "The data folder {DataDirectory} is on {FileSystem} (mounted at {MountPoint}), which is kept in memory: every stored instance is lost when the machine restarts, whatever Storage:FlushToDisk says")]
    public static partial void DataFolderInMemory(ILogger logger, string dataDirectory, string fileSystem, string mountPoint);
}
