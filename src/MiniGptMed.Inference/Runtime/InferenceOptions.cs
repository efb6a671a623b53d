using Microsoft.ML.OnnxRuntime;

namespace MiniGptMed.Inference.Runtime;

public enum ExecutionProviderKind
{
    /// <summary>CUDA when its provider library and a device load, otherwise CPU with one warning.</summary>
    Auto,
    Cuda,
    Cpu,
}

/// <summary>How the ONNX Runtime sessions are made (bound from configuration section <c>Inference</c>).</summary>
public sealed class InferenceOptions
{
    public ExecutionProviderKind ExecutionProvider { get; set; } = ExecutionProviderKind.Auto;

    public int CudaDeviceId { get; set; }

    public GraphOptimizationLevel GraphOptimization { get; set; } = GraphOptimizationLevel.ORT_ENABLE_ALL;

    /// <summary>Threads inside one operator; 0 lets ONNX Runtime choose (one per physical core).</summary>
    public int IntraOpThreads { get; set; }

    /// <summary>Threads across independent operators (only used with parallel execution); 0 = default.</summary>
    public int InterOpThreads { get; set; }

    /// <summary>The CPU memory arena keeps freed blocks for reuse; off trades speed for a smaller resident set.</summary>
    public bool EnableCpuMemArena { get; set; } = true;

    /// <summary>Most requests decoded together; more are queued by the caller.</summary>
    public int MaxBatchSize { get; set; } = 16;

    /// <summary>Largest accepted source image side, to bound the allocation an untrusted header can ask for.</summary>
    public int MaxImageSide { get; set; } = 16384;

    /// <summary>Smallest accepted source image side: below this there is nothing for the model to read.</summary>
    public int MinImageSide { get; set; } = 8;

    /// <summary>Longest instruction, in tokens, accepted in a prompt.</summary>
    public int MaxPromptTokens { get; set; } = 1024;
}
