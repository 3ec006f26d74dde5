using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Timeline.Tests.Support;

/// <summary>
/// The real app as a separate process (the built Timeline.dll on Kestrel, on a free loopback port), for
/// tests a browser or a hard kill must reach: an in-memory test server has no socket and no process to kill.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    readonly StringBuilder output = new();
    readonly string connectionString;
    readonly IReadOnlyDictionary<string, string> environment;

    AppProcess(string connectionString, IReadOnlyDictionary<string, string> environment, int port)
    {
        this.connectionString = connectionString;
        this.environment = environment;
        Port = port;
    }

    public int Port { get; }
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");
    public Process? Process { get; private set; }

    /// <summary>Everything the app wrote so far, for a failing test's message.</summary>
    public string Output { get { lock (output) return output.ToString(); } }

    public static async Task<AppProcess> StartAsync(string connectionString, IReadOnlyDictionary<string, string>? environment = null)
    {
        var app = new AppProcess(connectionString, environment ?? new Dictionary<string, string>(), FreePort());
        await app.StartAgainAsync();
        return app;
    }

    /// <summary>Starts the server (again, after a kill) on the same port and waits until /health answers 200.</summary>
    public async Task StartAgainAsync()
    {
        Process = Launch("--urls", BaseAddress.ToString().TrimEnd('/'));
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (Process.HasExited) throw new InvalidOperationException($"The app exited with {Process.ExitCode}:\n{Output}");
            try
            {
                if ((await client.GetAsync("health")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The app did not answer /health within 90 s:\n{Output}");
    }

    /// <summary>Runs one command of the app's command line (e.g. "demo") against the same database; returns its output.</summary>
    public async Task<string> RunCommandAsync(params string[] args)
    {
        using var process = Launch(args);
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        if (process.ExitCode != 0) throw new InvalidOperationException($"`{string.Join(' ', args)}` exited with {process.ExitCode}:\n{Output}");
        return Output;
    }

    /// <summary>The app's command line against this database, without starting its server.</summary>
    /// Logging is left at ASP.NET's default level (Information), so the quiet output is the app's own doing.
    public static AppProcess CommandLine(string connectionString) =>
        new(connectionString, new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Information" }, FreePort());

    /// <summary>Runs one command and keeps what it wrote to standard output and to standard error apart.</summary>
    public async Task<CommandOutput> RunCommandApartAsync(params string[] args)
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        using var process = Launch(args, stdout, stderr);
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        process.WaitForExit(); // drains the redirected streams
        lock (stdout) lock (stderr) return new CommandOutput(process.ExitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>SIGKILL: no shutdown hook runs, exactly like a crash or a power cut of the app server.</summary>
    public void KillHard()
    {
        if (Process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit(10_000);
        }
    }

    Process Launch(params string[] args) => Launch(args, null, null);

    Process Launch(string[] args, StringBuilder? stdout, StringBuilder? stderr)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(AppDll());
        // The content root: wwwroot (the web pages) is served from src/Timeline.
        if (RepositoryRoot() is { } root) info.WorkingDirectory = Path.Combine(root, "src", "Timeline");
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["ConnectionStrings__Marten"] = connectionString;
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (k, v) in environment) info.Environment[k] = v;
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        if (stdout is not null) process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        if (stderr is not null) process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>The Timeline.dll built beside these tests (same configuration).</summary>
    static string AppDll()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "Timeline.dll");
        if (File.Exists(beside) && File.Exists(Path.Combine(AppContext.BaseDirectory, "Timeline.runtimeconfig.json"))) return beside;
        var root = RepositoryRoot() ?? throw new FileNotFoundException("Cannot find Timeline.sln above " + AppContext.BaseDirectory);
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        return Path.Combine(root, "src", "Timeline", "bin", configuration, "net10.0", "Timeline.dll");
    }

    static string? RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Timeline.sln"))) dir = dir.Parent;
        return dir?.FullName;
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (Process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
        }
        Process?.Dispose();
    }
}

/// <summary>What one command wrote where, and how it exited.</summary>
public sealed record CommandOutput(int ExitCode, string Stdout, string Stderr)
{
    public IReadOnlyList<string> StdoutLines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
}
