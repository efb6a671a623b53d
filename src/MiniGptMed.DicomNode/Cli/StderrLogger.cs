using Microsoft.Extensions.Logging;

namespace MiniGptMed.DicomNode.Cli;

/// <summary>A synchronous one-line logger on stderr for CLI verbs, so that stdout stays the verb's output (--json).</summary>
internal sealed class StderrLogger(TextWriter stderr, LogLevel minimum) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            stderr.WriteLine($"minigptmed: {logLevel.ToString().ToLowerInvariant()}: {formatter(state, exception)}");
        }
    }
}
