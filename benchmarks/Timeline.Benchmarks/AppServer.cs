using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Timeline.Benchmarks;

/// <summary>
/// The real app, the built Timeline.dll, as its own process on Kestrel on a free loopback port: what is measured
/// is what a client gets over a socket, and its memory is its own.
/// </summary>
public sealed class AppServer : IAsyncDisposable
{
    readonly Process process;
    readonly StringBuilder output = new();

    AppServer(Process process, Uri baseAddress)
    {
        this.process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }
    public int ProcessId => process.Id;

    public string Output { get { lock (output) return output.ToString(); } }

    public static async Task<AppServer> StartAsync(string connectionString, IReadOnlyDictionary<string, string>? environment, CancellationToken ct)
    {
        var port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        var process = Launch(connectionString, "--urls", address.ToString().TrimEnd('/'));
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) process.StartInfo.Environment[key] = value;
        var server = new AppServer(process, address);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(120))
        {
            if (process.HasExited) throw new InvalidOperationException($"The app exited with {process.ExitCode}:\n{server.Output}");
            try
            {
                if ((await client.GetAsync(new Uri("health", UriKind.Relative), ct)).StatusCode == HttpStatusCode.OK) return server;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested) { }
            await Task.Delay(200, ct);
        }
        await server.DisposeAsync();
        throw new TimeoutException($"The app did not answer /health within 120 s:\n{server.Output}");
    }

    static Process Launch(string connectionString, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(AppDll());
        foreach (var a in args) info.ArgumentList.Add(a);
        info.WorkingDirectory = Path.GetDirectoryName(AppDll())!;
        info.Environment["ConnectionStrings__Marten"] = connectionString;
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        return new Process { StartInfo = info };
    }

    /// <summary>
    /// A bearer token for a new user of the app with these roles, issued by its own command line
    /// (<c>users add NAME --role ROLES</c>, which prints <c>token: …</c> once).
    /// </summary>
    public static async Task<string> IssueTokenAsync(string connectionString, string name, string roles, CancellationToken ct)
    {
        using var process = Launch(connectionString, "users", "add", name, "--role", roles);
        process.Start();
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var errors = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        var text = await output + await errors;
        var line = text.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith("token: ", StringComparison.Ordinal));
        return line?["token: ".Length..] ?? throw new InvalidOperationException($"`users add` printed no token ({process.ExitCode}):\n{text}");
    }

    void Append(string? line)
    {
        if (line is null) return;
        lock (output) if (output.Length < 200_000) output.AppendLine(line);
    }

    /// <summary>Resident memory now and its peak so far (Linux /proc; zero elsewhere).</summary>
    public (long Rss, long Peak) Memory()
    {
        try
        {
            long rss = 0, peak = 0;
            foreach (var line in File.ReadLines($"/proc/{process.Id.ToString(CultureInfo.InvariantCulture)}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = Kilobytes(line) * 1024;
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) peak = Kilobytes(line) * 1024;
            }
            return (rss, peak);
        }
        catch (IOException)
        {
            process.Refresh();
            return (process.WorkingSet64, process.PeakWorkingSet64);
        }
    }

    static long Kilobytes(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    /// <summary>The Timeline.dll built beside this program (a project reference copies it), else under src/Timeline/bin.</summary>
    static string AppDll()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "Timeline.dll");
        if (File.Exists(beside) && File.Exists(Path.Combine(AppContext.BaseDirectory, "Timeline.runtimeconfig.json"))) return beside;
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Timeline.sln"))) dir = dir.Parent;
        if (dir is null) throw new FileNotFoundException("Timeline.dll not found beside " + AppContext.BaseDirectory);
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        return Path.Combine(dir.FullName, "src", "Timeline", "bin", configuration, "net10.0", "Timeline.dll");
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}
