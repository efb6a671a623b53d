using MiniGptMed.DicomNode.Cli;

return await CommandLine.RunAsync(args).ConfigureAwait(false);
