using System.Globalization;

namespace Timeline.Benchmarks;

/// <summary>dotnet run -c Release --project benchmarks/Timeline.Benchmarks -- --patients 100000</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var o = new BenchmarkOptions(ConnectionString: Environment.GetEnvironmentVariable("ConnectionStrings__Marten") is { Length: > 0 } cs ? cs : null);
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            o = args[i] switch
            {
                "--patients" => o with { Patients = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--seed" => o with { Seed = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--results" => o with { ResultsPath = Next() },
                "--clients" => o with { Clients = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--append-seconds" => o with { AppendSeconds = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--replays" => o with { Replays = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--route-repetitions" => o with { RouteRepetitions = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--heavy-seconds" => o with { HeavySeconds = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--no-writer-comparison" => o with { CompareWriters = false },
                "--app-env" => o with { AppEnvironment = AppEnvironment(o, Next()) },
                _ => throw new ArgumentException($"Unknown option {args[i]}: use --patients N --seed S --results FILE --clients C --append-seconds S --replays N --route-repetitions N --heavy-seconds S --no-writer-comparison --app-env KEY=VALUE"),
            };
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
        var results = await BenchmarkRun.RunAsync(o, Console.Out, cancel.Token);
        var path = o.ResultsPath ?? ResultsFile.Default();
        await File.WriteAllTextAsync(path, results.ToJson() + "\n", cancel.Token);
        Console.WriteLine();
        Console.WriteLine(results.ToTable());
        Console.WriteLine($"Figures written to {path}");
        return 0;
    }

    static Dictionary<string, string> AppEnvironment(BenchmarkOptions o, string pair)
    {
        var all = new Dictionary<string, string>(o.AppEnvironment ?? new Dictionary<string, string>());
        var (key, value) = pair.Split('=', 2) is [var k, var v] ? (k, v) : throw new ArgumentException("--app-env takes KEY=VALUE");
        all[key] = value;
        return all;
    }
}
