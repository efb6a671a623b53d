namespace MiniGptMed.Inference;

/// <summary>A model that cannot be loaded or a request that cannot be served; the message names the problem.</summary>
public class InferenceException : Exception
{
    public InferenceException(string message)
        : base(message)
    {
    }

    public InferenceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public InferenceException()
    {
    }
}

/// <summary>The model directory is incomplete, corrupt, or its manifest does not match its ONNX files.</summary>
public sealed class ModelLoadException : InferenceException
{
    public ModelLoadException(string message)
        : base(message)
    {
    }

    public ModelLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ModelLoadException()
    {
    }
}

/// <summary>One request is unusable (bad image, bad box, prompt too long); other requests are unaffected.</summary>
public sealed class InvalidRequestException : InferenceException
{
    public InvalidRequestException(string message)
        : base(message)
    {
    }

    public InvalidRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public InvalidRequestException()
    {
    }
}
