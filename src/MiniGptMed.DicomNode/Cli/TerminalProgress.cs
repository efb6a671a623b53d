namespace MiniGptMed.DicomNode.Cli;

/// <summary>
/// A one-line progress bar on stderr, redrawn in place with a carriage return; only when stderr is the console and
/// not redirected (a log file or a test's writer gets no control characters).
/// </summary>
internal sealed class TerminalProgress(TextWriter writer, int total, string what) : IProgress<int>
{
    private const int Width = 30;

    public static IProgress<int>? For(TextWriter stderr, int total, string what) =>
        ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected && total > 0 ? new TerminalProgress(stderr, total, what) : null;

    public void Report(int value)
    {
        var done = Math.Clamp(value, 0, total);
        var filled = (int)((long)done * Width / total);
        writer.Write($"\r[{new string('#', filled)}{new string('.', Width - filled)}] {done}/{total} {what}");
        if (done == total)
        {
            writer.WriteLine();
        }

        writer.Flush();
    }
}
