using JasperFx.CommandLine;
using Microsoft.Extensions.Logging.Console;

namespace Timeline.Commands;

/// <summary>
/// A quiet command line: a command prints its answer and nothing else on standard output (a token line, a
/// figure, NDJSON), so it can be read by a person or piped to a program. Logs go to standard error, at warning
/// and above for every command but the server, unless <c>--verbose</c> asks for everything at information.
/// </summary>
public static class CommandLineOutput
{
    public const string VerboseFlag = "--verbose";

    /// <summary>The arguments without <c>--verbose</c> (which the commands' own parsers would refuse), and whether it was given.</summary>
    public static string[] WithoutVerbose(string[] args, out bool verbose)
    {
        verbose = args.Contains(VerboseFlag, StringComparer.Ordinal);
        return args.Where(a => a != VerboseFlag).ToArray();
    }

    /// <summary>True when these arguments serve the API (no command, "run", or only the server's options such as --urls).</summary>
    public static bool Serves(string[] args) => args.FirstOrDefault(a => !a.StartsWith('-')) is null or "run";

    public static void Configure(WebApplicationBuilder builder, string[] args, bool verbose)
    {
        // Every log line on standard error, whatever its level: standard output is for answers.
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        if (verbose) builder.Logging.SetMinimumLevel(LogLevel.Information);
        else if (!Serves(args)) builder.Logging.AddFilter<ConsoleLoggerProvider>(null, LogLevel.Warning);
        SilenceCommandDiscovery();
    }

    /// <summary>
    /// JasperFx prints "Searching '&lt;assembly&gt;' for commands" for every assembly it scans, unless its (static)
    /// extensions have been applied once; applying an empty set does exactly that and nothing else. The blank
    /// line it still writes after the scan is dropped by <see cref="SkipLeadingBlankLines"/>.
    /// </summary>
    static void SilenceCommandDiscovery()
    {
        new CommandFactory().ApplyExtensions(new ServiceCollection());
        Spectre.Console.AnsiConsole.Console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
        {
            Out = new Spectre.Console.AnsiConsoleOutput(new SkipLeadingBlankLines(Console.Out)),
            // Colours for a terminal only: a pipe or a file gets plain text.
            Ansi = Console.IsOutputRedirected ? Spectre.Console.AnsiSupport.No : Spectre.Console.AnsiSupport.Detect,
        });
    }

    /// <summary>Passes everything through once something other than white space has been written.</summary>
    sealed class SkipLeadingBlankLines(TextWriter inner) : TextWriter
    {
        bool started;

        public override System.Text.Encoding Encoding => inner.Encoding;

        public override void Write(char value)
        {
            if (!started && char.IsWhiteSpace(value)) return;
            started = true;
            inner.Write(value);
        }

        public override void Write(string? value)
        {
            if (!started && string.IsNullOrWhiteSpace(value)) return;
            started = true;
            inner.Write(value);
        }

        public override void Flush() => inner.Flush();
    }
}
