using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Timeline.LocalDatabase;

/// <summary>The outcome of one external command.</summary>
internal sealed record CommandResult(string CommandLine, int ExitCode, string StandardOutput, string StandardError);

/// <summary>
/// Runs the PostgreSQL binaries (and a few helpers) as the right user: directly when this process is
/// not root, otherwise as the <c>postgres</c> user through <c>runuser</c> (or <c>su</c>), because
/// initdb, pg_ctl and postgres refuse to run as root.
/// </summary>
internal sealed class PostgresCommandRunner
{
    /// <summary>The account the server runs as when this process is root.</summary>
    public const string ServerAccount = "postgres";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(5);

    private readonly string? _runuser;
    private readonly string? _su;

    private PostgresCommandRunner(bool switchUser, string? runuser, string? su)
    {
        SwitchUser = switchUser;
        _runuser = runuser;
        _su = su;
    }

    /// <summary>True when this process is root and the server binaries run as <see cref="ServerAccount"/>.</summary>
    public bool SwitchUser { get; }

    public static async Task<PostgresCommandRunner> CreateAsync(CancellationToken cancellationToken)
    {
        if (!Environment.IsPrivilegedProcess)
        {
            return new PostgresCommandRunner(switchUser: false, runuser: null, su: null);
        }

        var runuser = FindExecutable("runuser", "/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser");
        var su = runuser is null ? FindExecutable("su", "/usr/bin/su", "/bin/su") : null;
        if (runuser is null && su is null)
        {
            throw new InvalidOperationException(
                "This process runs as root and PostgreSQL refuses to run as root, but neither `runuser` nor `su` "
                + $"was found to run it as the '{ServerAccount}' user. Install util-linux, or run as a non-root user.");
        }

        var id = await RunProcessAsync("id", ["-u", ServerAccount], cancellationToken).ConfigureAwait(false);
        if (id.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"This process runs as root and PostgreSQL refuses to run as root, but there is no '{ServerAccount}' "
                + "user to run it as. `apt-get install postgresql` creates it (or `useradd --system postgres`); "
                + "alternatively run as a non-root user.");
        }

        return new PostgresCommandRunner(switchUser: true, runuser, su);
    }

    /// <summary>Runs <paramref name="executable"/> as the server account (see <see cref="SwitchUser"/>).</summary>
    public Task<CommandResult> RunAsServerAsync(string executable, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        if (!SwitchUser)
        {
            return RunProcessAsync(executable, arguments, cancellationToken);
        }

        if (_runuser is not null)
        {
            return RunProcessAsync(_runuser, ["-u", ServerAccount, "--", executable, .. arguments], cancellationToken);
        }

        var shellCommand = string.Join(' ', new[] { executable }.Concat(arguments).Select(ShellQuote));
        return RunProcessAsync(_su!, [ServerAccount, "-s", "/bin/sh", "-c", shellCommand], cancellationToken);
    }

    /// <summary>Runs a command as the current user (e.g. chown while root).</summary>
    public static async Task<CommandResult> RunProcessAsync(string executable, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // The server user may not be able to enter our working directory (e.g. under /root).
            WorkingDirectory = "/",
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // PGDATA, PGPORT, PGHOST, PGOPTIONS, ... from the caller's environment must not leak into the
        // private server or its tools: everything they need is passed explicitly.
        foreach (var name in startInfo.Environment.Keys.Where(k => k.StartsWith("PG", StringComparison.Ordinal)).ToList())
        {
            startInfo.Environment.Remove(name);
        }

        var commandLine = string.Join(' ', new[] { executable }.Concat(arguments).Select(ShellQuote));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CommandTimeout);

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"Could not run `{commandLine}`: {ex.Message}", ex);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            return new CommandResult(
                commandLine,
                process.ExitCode,
                await stdout.ConfigureAwait(false),
                await stderr.ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already exited.
            }

            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new TimeoutException($"`{commandLine}` did not finish within {CommandTimeout.TotalMinutes} minutes.");
        }
    }

    /// <summary>Quotes one word for /bin/sh (pg_ctl -o options and the su fallback go through a shell).</summary>
    public static string ShellQuote(string word)
    {
        if (word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,+@%".Contains(c, StringComparison.Ordinal)))
        {
            return word;
        }

        return "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    /// <summary>The last <paramref name="maxLines"/> lines of <paramref name="text"/>, for error messages.</summary>
    public static string Tail(string text, int maxLines = 25, int maxChars = 4000)
    {
        var lines = text.TrimEnd().Split('\n');
        var tail = string.Join('\n', lines.Skip(Math.Max(0, lines.Length - maxLines)));
        return tail.Length <= maxChars ? tail : "..." + tail[^maxChars..];
    }

    /// <summary>Describes a failed command: command line, exit code and the tails of its output.</summary>
    public static string Describe(CommandResult result)
    {
        var message = new StringBuilder();
        message.Append(CultureInfo.InvariantCulture, $"`{result.CommandLine}` failed with exit code {result.ExitCode}.");
        if (!string.IsNullOrWhiteSpace(result.StandardError))
        {
            message.Append("\n--- stderr (tail) ---\n").Append(Tail(result.StandardError));
        }

        if (!string.IsNullOrWhiteSpace(result.StandardOutput))
        {
            message.Append("\n--- stdout (tail) ---\n").Append(Tail(result.StandardOutput));
        }

        return message.ToString();
    }

    /// <summary>The first existing candidate, or the command found on PATH.</summary>
    public static string? FindExecutable(string name, params string[] knownLocations)
    {
        foreach (var candidate in knownLocations)
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return FindOnPath(name);
    }

    public static string? FindOnPath(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
