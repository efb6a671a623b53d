using Microsoft.Extensions.Logging;

namespace MiniGptMed.Inference;

/// <summary>Inference log events: ids 3000-3099.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Inference on CUDA device {DeviceId}")]
    public static partial void UsingCuda(ILogger logger, int deviceId);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "CUDA unavailable, inference falls back to CPU: {Reason}")]
    public static partial void CudaUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Model '{Name}' loaded from {Directory} ({Provider}, {Dtype})")]
    public static partial void ModelLoaded(ILogger logger, string name, string directory, Runtime.ExecutionProviderKind provider, string dtype);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Debug, Message = "Batch of {Count}: prefill {PrefillMs:F1} ms, {Steps} decode steps in {DecodeMs:F1} ms")]
    public static partial void BatchDone(ILogger logger, int count, double prefillMs, int steps, double decodeMs);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Request {Index} of a batch rejected: {Reason}")]
    public static partial void RequestRejected(ILogger logger, int index, string reason);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Error, Message = "Inference failed for a batch of {Count}: {Reason}")]
    public static partial void BatchFailed(ILogger logger, int count, string reason);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "Model manifest {Path} lists no weight files (an export older than the 'weights' field): their sizes are not checked, and the model's version covers the manifest only, so a retrained model of the same shape keeps it; tools/model_manifest.py adds the list")]
    public static partial void WeightsNotListed(ILogger logger, string path);
}
