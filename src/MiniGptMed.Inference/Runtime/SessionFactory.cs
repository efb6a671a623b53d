using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace MiniGptMed.Inference.Runtime;

/// <summary>
/// Makes the sessions of one model with one execution provider. Auto tries CUDA once; when its provider
/// library cannot load (no CUDA 13 / cuDNN 9, no device) it logs one warning and every session uses CPU.
/// </summary>
internal sealed class SessionFactory
{
    // The environment's log level is process-wide: probes in parallel must not restore each other's value.
    private static readonly Lock ProbeLock = new();
    private readonly InferenceOptions _options;
    private readonly ILogger _logger;

    /// <param name="probeModel">A tiny ONNX model: creating a CUDA session of it proves the device works, not just the library.</param>
    public SessionFactory(InferenceOptions options, ILogger logger, byte[] probeModel)
    {
        _options = options;
        _logger = logger;
        Provider = Resolve(probeModel);
    }

    /// <summary>The provider actually in use (never Auto).</summary>
    public ExecutionProviderKind Provider { get; }

    /// <summary>Where the KV cache and other intermediate tensors live between runs.</summary>
    public OrtMemoryInfo DeviceMemory => Provider == ExecutionProviderKind.Cuda
        ? new OrtMemoryInfo(OrtMemoryInfo.allocatorCUDA, OrtAllocatorType.DeviceAllocator, _options.CudaDeviceId, OrtMemType.Default)
        : OrtMemoryInfo.DefaultInstance;

    public SessionOptions CreateOptions()
    {
        var so = new SessionOptions
        {
            GraphOptimizationLevel = _options.GraphOptimization,
            EnableCpuMemArena = _options.EnableCpuMemArena,
            IntraOpNumThreads = _options.IntraOpThreads,
            InterOpNumThreads = _options.InterOpThreads,
        };
        if (Provider == ExecutionProviderKind.Cuda)
        {
            so.AppendExecutionProvider_CUDA(_options.CudaDeviceId);
        }

        return so;
    }

    public InferenceSession Create(string path, string role)
    {
        if (!File.Exists(path))
        {
            throw new ModelLoadException($"{role} model file missing: {path}");
        }

        using var so = CreateOptions();
        try
        {
            return new InferenceSession(path, so);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new ModelLoadException($"{role} model {path} cannot be loaded by ONNX Runtime: {ex.Message}", ex);
        }
    }

    public InferenceSession Create(byte[] model, string role)
    {
        using var so = CreateOptions();
        try
        {
            return new InferenceSession(model, so);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new ModelLoadException($"{role} model cannot be loaded by ONNX Runtime: {ex.Message}", ex);
        }
    }

    private ExecutionProviderKind Resolve(byte[] probeModel)
    {
        if (_options.ExecutionProvider == ExecutionProviderKind.Cpu)
        {
            return ExecutionProviderKind.Cpu;
        }

        // ONNX Runtime logs its own error line when the provider library fails to load; quiet it for the
        // probe so that a CPU-only machine shows our one warning, not two messages for one fact.
        using var scope = ProbeLock.EnterScope();
        var env = OrtEnv.Instance();
        var level = env.EnvLogLevel;
        try
        {
            env.EnvLogLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;

            // Appending the provider loads libonnxruntime_providers_cuda.so and its CUDA/cuDNN
            // dependencies; that is where a machine without them fails.
            // A session then initialises the device: a machine with the libraries but no usable GPU fails here.
            using var probe = new SessionOptions();
            probe.AppendExecutionProvider_CUDA(_options.CudaDeviceId);
            using var session = new InferenceSession(probeModel, probe);
            Log.UsingCuda(_logger, _options.CudaDeviceId);
            return ExecutionProviderKind.Cuda;
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
        {
            if (_options.ExecutionProvider == ExecutionProviderKind.Cuda)
            {
                throw new ModelLoadException(
                    $"CUDA execution provider requested but unavailable (this build needs CUDA 13 and cuDNN 9): {ex.Message}", ex);
            }

            Log.CudaUnavailable(_logger, FirstLine(ex.Message));
            return ExecutionProviderKind.Cpu;
        }
        finally
        {
            env.EnvLogLevel = level;
        }
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
