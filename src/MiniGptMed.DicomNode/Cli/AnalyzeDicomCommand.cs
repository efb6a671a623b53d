using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.Imaging;
using MiniGptMed.DicomNode.Analysis;
using MiniGptMed.DicomNode.Configuration;
using MiniGptMed.DicomNode.Results;
using MiniGptMed.Inference;
using MiniGptMed.Inference.Generation;
using MiniGptMed.Inference.Runtime;

namespace MiniGptMed.DicomNode.Cli;

/// <summary>
/// <c>analyze</c> on DICOM: read the study, choose and render the frames, ask every task of every frame in batches,
/// write the SR, the SCs and the presentation states into --out (atomically), print a summary or JSON.
/// Configuration (<c>Results</c> for the device identity, <c>Inference</c> for threads and batch size) comes from
/// appsettings.json beside the executable, <c>--config FILE</c>, then <c>MINIGPTMED_</c> environment variables.
/// </summary>
internal static class AnalyzeDicomCommand
{
    public static async Task<int> RunAsync(AnalyzeArguments args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var (results, inference, errors) = ReadConfiguration(args);
        if (errors.Count > 0)
        {
            foreach (var error in errors)
            {
                await stderr.WriteLineAsync($"minigptmed analyze: {error}").ConfigureAwait(false);
            }

            return 2;
        }

        try
        {
            var study = StudyLoader.Load(args.Input);
            var plan = ImagePlanner.Plan(study, args.Slices, args.Window);
            using var engine = MiniGptMedEngine.Load(args.ModelDirectory, inference, new StderrLogger(stderr, LogLevel.Warning));
            var runner = new EngineRunner(engine, ModelIdentity.FromDirectory(args.ModelDirectory), inference.MaxBatchSize);
            var generation = args.MaxNewTokens is { } max ? new GenerationOptions { MaxNewTokens = max } : null;
            var analysis = await StudyAnalyzer.AnalyzeAsync(plan, args.Tasks, runner, generation, cancellationToken).ConfigureAwait(false);
            var written = ResultsWriter.Write(analysis, results.ToDeviceIdentity(), DateTimeOffset.Now, args.OutputDirectory!);
            if (args.Json)
            {
                await stdout.WriteLineAsync(AnalyzeReport.ToJson(args.Input, analysis, written, engine.Provider)).ConfigureAwait(false);
            }
            else
            {
                await AnalyzeReport.WriteTextAsync(stdout, analysis, written, engine.Provider).ConfigureAwait(false);
            }

            return 0;
        }
        catch (Exception ex) when (ex is AnalysisInputException or InferenceException or IOException or UnauthorizedAccessException
                                       or DicomDataException or DicomImagingException or ArgumentException)
        {
            // Builders reject values they cannot encode with ArgumentException/DicomDataException naming the field;
            // nothing was written then (ResultsWriter builds everything before it writes).
            await stderr.WriteLineAsync($"minigptmed analyze: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    private static (ResultsOptions Results, InferenceOptions Inference, List<string> Errors) ReadConfiguration(AnalyzeArguments args) =>
        ReadConfiguration(args.ConfigFile, args.Provider);

    /// <summary><c>Results</c> and <c>Inference</c> from appsettings.json beside the executable, the --config file, then the environment (also <c>evaluate</c>'s).</summary>
    internal static (ResultsOptions Results, InferenceOptions Inference, List<string> Errors) ReadConfiguration(string? configFile, ExecutionProviderKind provider)
    {
        var builder = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, NodeHost.DefaultSettingsFile), optional: true);
        var errors = new List<string>();
        if (configFile is { } file)
        {
            if (!File.Exists(file))
            {
                errors.Add($"--config {file}: no such file");
                return (new ResultsOptions(), new InferenceOptions(), errors);
            }

            builder.AddJsonFile(Path.GetFullPath(file), optional: false);
        }

        var configuration = builder.AddEnvironmentVariables(NodeHost.EnvironmentPrefix).Build();
        var results = new ResultsOptions();
        var inference = new InferenceOptions();
        try
        {
            configuration.GetSection(ResultsOptions.Section).Bind(results);
            configuration.GetSection("Inference").Bind(inference);
        }
        catch (InvalidOperationException ex)
        {
            errors.Add(ex.Message);
        }

        inference.ExecutionProvider = provider;
        errors.AddRange(results.Validate());
        errors.AddRange(inference.Validate());
        return (results, inference, errors);
    }
}
