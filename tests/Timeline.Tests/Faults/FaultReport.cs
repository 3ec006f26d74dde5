using Xunit.Abstractions;

namespace Timeline.Tests.Faults;

/// <summary>
/// The counts of a fault test (writes attempted, acknowledged, found), to the test's output, to the console,
/// and to TestResults/fault-counts.txt beside the test assembly, which .ci/run prints after the run (the test
/// runner shows a passing test's output only at detailed verbosity).
/// </summary>
public static class FaultReport
{
    static readonly Lock Gate = new();

    public static string File { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "fault-counts.txt");

    public static void Print(ITestOutputHelper output, string line)
    {
        output.WriteLine(line);
        Console.WriteLine(line);
        lock (Gate)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(File)!);
            System.IO.File.AppendAllText(File, $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ} {line}{Environment.NewLine}");
        }
    }
}
