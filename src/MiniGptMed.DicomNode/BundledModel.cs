namespace MiniGptMed.DicomNode;

/// <summary>Where the node finds its model when none is configured: the small model that ships.</summary>
internal static class BundledModel
{
    public const string EnvironmentVariable = "MINIGPTMED_MODEL_DIR";

    /// <summary>
    /// $MINIGPTMED_MODEL_DIR, else ./models/small (a checkout), else models/small beside the executable
    /// (the build copies it there, so an installed node finds it wherever it is started from).
    /// </summary>
    public static string DefaultDirectory()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        var local = Path.Combine("models", "small");
        return Directory.Exists(local) ? local : Path.Combine(AppContext.BaseDirectory, "models", "small");
    }
}
