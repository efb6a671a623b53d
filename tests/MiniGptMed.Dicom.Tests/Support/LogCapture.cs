using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace MiniGptMed.Dicom.Tests.Support;

/// <summary>One captured log line.</summary>
internal sealed record LogLine(string Category, LogLevel Level, int EventId, string Message, Exception? Exception);

/// <summary>An in-memory logger factory: every line is kept and announced, so a test can wait for the one it expects.</summary>
internal sealed class LogCapture : ILoggerFactory, ILoggerProvider
{
    private readonly Channel<LogLine> _arrivals = Channel.CreateUnbounded<LogLine>();

    public ConcurrentQueue<LogLine> Lines { get; } = new();

    /// <summary>Lines at Warning or above.</summary>
    public List<LogLine> Warnings => [.. Lines.Where(l => l.Level >= LogLevel.Warning)];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public ILogger<T> For<T>() => new Logger<T>(this);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public void Dispose()
    {
    }

    /// <summary>Waits for a line with <paramref name="eventId"/> (one logged earlier counts).</summary>
    public async Task<LogLine> WaitForAsync(int eventId, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            if (Lines.FirstOrDefault(l => l.EventId == eventId) is { } line)
            {
                return line;
            }

            await _arrivals.Reader.WaitToReadAsync(cts.Token);
            while (_arrivals.Reader.TryRead(out _))
            {
            }
        }
    }

    private void Add(LogLine line)
    {
        Lines.Enqueue(line);
        _arrivals.Writer.TryWrite(line);
    }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add(new LogLine(category, logLevel, eventId.Id, formatter(state, exception), exception));
    }
}
