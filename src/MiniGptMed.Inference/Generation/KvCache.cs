using Microsoft.ML.OnnxRuntime;
using MiniGptMed.Inference.Model;

namespace MiniGptMed.Inference.Generation;

/// <summary>
/// The decoder's past key/values between steps. The tensors are the decoder's own present outputs, left
/// where the execution provider put them (device memory on CUDA), so a step costs no host round trip.
/// When sequences finish, their rows are dropped with a Gather on the same device, so a finished
/// sequence stops costing attention and matmul work.
/// </summary>
internal sealed class KvCache : IDisposable
{
    private readonly OrtValue[] _values;
    private readonly int _layers;

    private KvCache(OrtValue[] values, int layers)
    {
        _values = values;
        _layers = layers;
    }

    /// <summary>Empty past (length 0) for a prefill of <paramref name="batch"/> rows.</summary>
    public static KvCache Empty(Runtime.Tensors tensors, ManifestDecoder d, int batch)
    {
        var values = new OrtValue[2 * d.Layers];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = tensors.Allocate([batch, d.KvHeads, 0, d.HeadDim]);
        }

        return new KvCache(values, d.Layers);
    }

    /// <summary>Takes ownership of present.{i}.key/value (in layer order, key then value).</summary>
    public static KvCache FromPresent(IReadOnlyList<OrtValue> present, int layers) => new([.. present], layers);

    public void Bind(OrtIoBinding binding)
    {
        for (int i = 0; i < _layers; i++)
        {
            binding.BindInput(ModelContract.PastKey(i), _values[2 * i]);
            binding.BindInput(ModelContract.PastValue(i), _values[(2 * i) + 1]);
        }
    }

    /// <summary>Keeps only the batch rows <paramref name="keep"/> (ascending), on the cache's device.</summary>
    public void Compact(InferenceSession gather, OrtMemoryInfo device, long[] keep)
    {
        using var indices = OrtValue.CreateTensorValueFromMemory(keep, [keep.Length]);
        using var binding = gather.CreateIoBinding();
        using var runOptions = new RunOptions();
        for (int i = 0; i < _values.Length; i++)
        {
            binding.ClearBoundInputs();
            binding.ClearBoundOutputs();
            binding.BindInput("data", _values[i]);
            binding.BindInput("indices", indices);
            binding.BindOutputToDevice("output", device);
            gather.RunWithBinding(runOptions, binding);
            // The outputs are ours to dispose one by one; the list holding them owns nothing else.
            var outputs = binding.GetOutputValues();
            var old = _values[i];
            _values[i] = outputs[0];
            old.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var v in _values)
        {
            v.Dispose();
        }
    }
}
