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

    /// <summary>Problems with the values, each naming its key (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(ExecutionProvider))
        {
            errors.Add($"Inference:ExecutionProvider {ExecutionProvider} is not Auto, Cuda or Cpu");
        }

        if (CudaDeviceId < 0)
        {
            errors.Add($"Inference:CudaDeviceId {CudaDeviceId} must be 0 or more");
        }

        if (IntraOpThreads < 0 || InterOpThreads < 0)
        {
            errors.Add("Inference:IntraOpThreads and Inference:InterOpThreads must be 0 (automatic) or more");
        }

        if (MaxBatchSize is < 1 or > 1024)
        {
            errors.Add($"Inference:MaxBatchSize {MaxBatchSize} is outside 1..1024");
        }

        if (MinImageSide < 1 || MaxImageSide < MinImageSide || MaxImageSide > 65535)
        {
            errors.Add($"Inference:MinImageSide {MinImageSide} / MaxImageSide {MaxImageSide} must satisfy 1 <= min <= max <= 65535");
        }

        if (MaxPromptTokens < 1)
        {
            errors.Add($"Inference:MaxPromptTokens {MaxPromptTokens} must be positive");
        }

        return errors;
    }
}
