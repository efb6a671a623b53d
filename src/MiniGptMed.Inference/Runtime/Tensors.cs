using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MiniGptMed.Inference.Runtime;

/// <summary>Host tensors in the model's float type (float32 or float16) and reading floats back.</summary>
internal sealed class Tensors(bool float16)
{
    public TensorElementType FloatType { get; } = float16 ? TensorElementType.Float16 : TensorElementType.Float;

    public int FloatSize { get; } = float16 ? 2 : 4;

    /// <summary>A CPU tensor of the model's float type filled from <paramref name="values"/>.</summary>
    public OrtValue FromFloats(ReadOnlySpan<float> values, long[] shape)
    {
        var value = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, FloatType, shape);
        if (FloatType == TensorElementType.Float)
        {
            values.CopyTo(value.GetTensorMutableDataAsSpan<float>());
        }
        else
        {
            var dst = value.GetTensorMutableDataAsSpan<Float16>();
            for (int i = 0; i < values.Length; i++)
            {
                dst[i] = (Float16)values[i];
            }
        }

        return value;
    }

    /// <summary>An uninitialised CPU tensor of the model's float type (filled through <see cref="OrtValue.GetTensorMutableRawData"/>).</summary>
    public OrtValue Allocate(long[] shape) => OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, FloatType, shape);

    public static OrtValue FromInt64(long[] values, long[] shape) => OrtValue.CreateTensorValueFromMemory(values, shape);

    /// <summary>Copies <paramref name="count"/> elements at <paramref name="offset"/> of a CPU tensor into floats.</summary>
    public void ReadFloats(OrtValue value, long offset, Span<float> destination)
    {
        if (FloatType == TensorElementType.Float)
        {
            value.GetTensorDataAsSpan<float>().Slice(checked((int)offset), destination.Length).CopyTo(destination);
            return;
        }

        var src = value.GetTensorDataAsSpan<Float16>().Slice(checked((int)offset), destination.Length);
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = (float)src[i];
        }
    }

    public static ReadOnlySpan<byte> RawBytes(OrtValue value) => MemoryMarshal.AsBytes(value.GetTensorMutableRawData());
}
