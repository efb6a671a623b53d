using MiniGptMed.Benchmarks;

return args.FirstOrDefault() switch
{
    "parse" => ParseBenchmark.Run(args[1..]),
    "read-large" => LargeReadBenchmark.Run(args[1..]),
    "catalogue" => await CatalogueBenchmark.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: MiniGptMed.Benchmarks parse DIR [--repeat N] | read-large [--size-mb N] | catalogue [--rows N] [--writers W] [--naive] [--pg CONNECTION]");
    return 2;
}
