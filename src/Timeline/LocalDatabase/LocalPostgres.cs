// Why this exists: the app and its tests must run on a fresh machine with no Docker and no database
// already provisioned, so they start a private PostgreSQL server themselves from the installed server
// binaries (Debian's `postgresql` package puts them in /usr/lib/postgresql/<major>/bin). The server
// keeps its cluster in <data directory>/pg, so data survives restarts, and listens only on a Unix socket
// inside the data directory (no TCP port to collide with or expose). Development sessions and CI run as
// root, and PostgreSQL refuses to run as root, so in that case the binaries run as the `postgres` user.
// To use an existing server instead, set ConnectionStrings__Marten and do not start this class.

using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Timeline.LocalDatabase;

/// <summary>
/// A private PostgreSQL server on a data directory, started by <see cref="StartAsync(string, ILogger?, CancellationToken)"/>
/// and stopped by <see cref="DisposeAsync"/> (unless it was already running, in which case it is left running).
/// </summary>
public sealed class LocalPostgres : IAsyncDisposable
{
    /// <summary>Only names the socket file (<c>.s.PGSQL.5433</c>): the server listens on no TCP port.</summary>
    public const int DefaultPort = 5433;

    /// <summary>The application database, created on start if absent.</summary>
    public const string DatabaseName = "timeline";

    /// <summary>The superuser created by initdb; local socket connections are trusted.</summary>
    public const string SuperUser = "postgres";

    /// <summary>sizeof(sockaddr_un.sun_path) is 108 bytes including the terminating NUL.</summary>
    internal const int MaxSocketPathBytes = 107;

    private const string PreferredMajorVersion = "15";
    private const string DebianInstallRoot = "/usr/lib/postgresql";
    private static readonly string[] ServerBinaries = ["initdb", "pg_ctl", "postgres"];
    private static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly PostgresCommandRunner _runner;
    private readonly ILogger _logger;
    private int _stopped;

    private LocalPostgres(
        string dataDirectory,
        string binDirectory,
        string socketDirectory,
        int port,
        bool startedByThisInstance,
        PostgresCommandRunner runner,
        ILogger logger)
    {
        DataDirectory = dataDirectory;
        ClusterDirectory = ClusterDirectoryOf(dataDirectory);
        LogFile = LogFileOf(dataDirectory);
        BinDirectory = binDirectory;
        SocketDirectory = socketDirectory;
        Port = port;
        StartedByThisInstance = startedByThisInstance;
        _runner = runner;
        _logger = logger;
        ConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = socketDirectory,
            Port = port,
            Username = SuperUser,
            Database = DatabaseName,
            Pooling = true,
            MaxPoolSize = 50,
        }.ConnectionString;
    }

    /// <summary>Npgsql connection string for the <c>timeline</c> database over the Unix socket.</summary>
    public string ConnectionString { get; }

    /// <summary>The (absolute) data directory passed to <see cref="StartAsync(string, ILogger?, CancellationToken)"/>.</summary>
    public string DataDirectory { get; }

    /// <summary>The PostgreSQL cluster: <c>&lt;DataDirectory&gt;/pg</c>.</summary>
    public string ClusterDirectory { get; }

    /// <summary>The server log: <c>&lt;DataDirectory&gt;/postgres.log</c>.</summary>
    public string LogFile { get; }

    /// <summary>Where the server's Unix socket lives (inside the data directory, or under /tmp if that path is too long).</summary>
    public string SocketDirectory { get; }

    /// <summary>The port number; it only names the socket file.</summary>
    public int Port { get; }

    /// <summary>The directory holding initdb, pg_ctl and postgres.</summary>
    public string BinDirectory { get; }

    /// <summary>
    /// True if this instance started the server (it stops it on dispose); false if a server was already running
    /// on the data directory (e.g. another app instance, or one left by a crashed run) and is left running.
    /// </summary>
    public bool StartedByThisInstance { get; }

    /// <summary><c>TIMELINE_DATA_DIR</c> if set, else <c>./.timeline</c> under the current directory.</summary>
    public static string DefaultDataDirectory()
    {
        var configured = Environment.GetEnvironmentVariable("TIMELINE_DATA_DIR");
        return string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(Directory.GetCurrentDirectory(), ".timeline")
            : configured;
    }

    /// <summary>
    /// Starts (or reuses) the private server on <paramref name="dataDirectory"/>, creating the cluster and the
    /// <c>timeline</c> database on first use.
    /// </summary>
    public static Task<LocalPostgres> StartAsync(string dataDirectory, ILogger? logger = null, CancellationToken cancellationToken = default)
        => StartAsync(dataDirectory, logger, binDirectory: null, cancellationToken);

    /// <summary>
    /// As <see cref="StartAsync(string, ILogger?, CancellationToken)"/>, with the PostgreSQL bin directory given
    /// explicitly (null: search /usr/lib/postgresql/15/bin, /usr/lib/postgresql/*/bin newest first,
    /// <c>pg_config --bindir</c>, then PATH).
    /// </summary>
    public static Task<LocalPostgres> StartAsync(
        string dataDirectory,
        ILogger? logger,
        string? binDirectory,
        CancellationToken cancellationToken = default)
        => StartAsync(dataDirectory, logger, binDirectory, syncNewCluster: true, cancellationToken);

    /// <param name="dataDirectory">See <see cref="StartAsync(string, ILogger?, CancellationToken)"/>.</param>
    /// <param name="logger">Receives progress and warnings.</param>
    /// <param name="binDirectory">See <see cref="StartAsync(string, ILogger?, string?, CancellationToken)"/>.</param>
    /// <param name="syncNewCluster">
    /// False only for throwaway test clusters: initdb --no-sync skips flushing the new cluster to disk (saves seconds,
    /// but a crash right after initdb could corrupt it). The server itself always runs with fsync on.
    /// </param>
    /// <param name="cancellationToken">Cancels the start.</param>
    internal static async Task<LocalPostgres> StartAsync(
        string dataDirectory,
        ILogger? logger,
        string? binDirectory,
        bool syncNewCluster,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException(
                "LocalPostgres runs PostgreSQL over a Unix socket and does not support Windows; "
                + "set ConnectionStrings__Marten to use an existing server.");
        }

        logger ??= NullLogger.Instance;
        dataDirectory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataDirectory));
        var cluster = ClusterDirectoryOf(dataDirectory);

        var bin = await ResolveBinDirectoryAsync(binDirectory, ReadClusterVersion(cluster), cancellationToken).ConfigureAwait(false);
        var runner = await PostgresCommandRunner.CreateAsync(cancellationToken).ConfigureAwait(false);

        Directory.CreateDirectory(dataDirectory);
        using var fileLock = await AcquireLockAsync(dataDirectory, logger, cancellationToken).ConfigureAwait(false);

        var running = await FindRunningServerAsync(runner, bin, dataDirectory, logger, cancellationToken).ConfigureAwait(false);
        if (running is not null)
        {
            LocalPostgresLog.Reusing(logger, running.Pid, cluster);
            if (string.IsNullOrEmpty(running.SocketDirectory) || running.Port is null)
            {
                throw new InvalidOperationException(
                    $"A PostgreSQL server (pid {running.Pid}) is already running on {cluster} but does not listen on a "
                    + $"Unix socket, so it cannot be reused. Stop it with `{Path.Combine(bin, "pg_ctl")} -D {cluster} stop`.");
            }

            var reused = new LocalPostgres(dataDirectory, bin, running.SocketDirectory, running.Port.Value, startedByThisInstance: false, runner, logger);
            await reused.EnsureDatabaseAsync(cancellationToken).ConfigureAwait(false);
            return reused;
        }

        var socketDirectory = ResolveSocketDirectory(dataDirectory, DefaultPort);
        if (!socketDirectory.StartsWith(dataDirectory + "/", StringComparison.Ordinal))
        {
            LocalPostgresLog.SocketFallback(logger, dataDirectory, socketDirectory);
        }

        await PrepareDirectoriesAsync(runner, dataDirectory, socketDirectory, logger, cancellationToken).ConfigureAwait(false);
        var socketLockFile = Path.Combine(socketDirectory, $".s.PGSQL.{DefaultPort.ToString(CultureInfo.InvariantCulture)}.lock");
        RemoveIfStale(socketLockFile, PidFile.Read(socketLockFile)?.Pid, logger);
        await InitializeClusterIfNeededAsync(runner, bin, dataDirectory, syncNewCluster, logger, cancellationToken).ConfigureAwait(false);

        var started = new LocalPostgres(dataDirectory, bin, socketDirectory, DefaultPort, startedByThisInstance: true, runner, logger);
        await started.StartServerAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await started.EnsureDatabaseAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await started.TryStopAfterFailedStartAsync().ConfigureAwait(false);
            throw;
        }

        return started;
    }

    /// <summary>Stops the server if this instance started it (pg_ctl stop -m fast); otherwise leaves it running.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0 || !StartedByThisInstance)
        {
            return;
        }

        try
        {
            using var fileLock = await AcquireLockAsync(DataDirectory, _logger, cancellationToken).ConfigureAwait(false);
            await StopServerAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Volatile.Write(ref _stopped, 0);
            throw;
        }
    }

    /// <summary>Synchronous <see cref="StopAsync"/>.</summary>
    public void Stop() => StopAsync().GetAwaiter().GetResult();

    /// <inheritdoc cref="StopAsync"/>
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    /// <summary>
    /// Stops whatever server runs on <paramref name="dataDirectory"/>, whoever started it (for test clean-up and
    /// for servers left by crashed runs). Does nothing if none runs.
    /// </summary>
    internal static async Task StopServerOnAsync(string dataDirectory, string? binDirectory = null, CancellationToken cancellationToken = default)
    {
        dataDirectory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataDirectory));
        if (!File.Exists(PidFileOf(dataDirectory)))
        {
            return;
        }

        var bin = await ResolveBinDirectoryAsync(binDirectory, ReadClusterVersion(ClusterDirectoryOf(dataDirectory)), cancellationToken).ConfigureAwait(false);
        var runner = await PostgresCommandRunner.CreateAsync(cancellationToken).ConfigureAwait(false);
        var server = new LocalPostgres(dataDirectory, bin, "/unused", DefaultPort, startedByThisInstance: true, runner, NullLogger.Instance);
        await server.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>&lt;dataDirectory&gt;/sock</c> if the socket path fits in a sockaddr_un, else a directory under /tmp named
    /// from a hash of the data directory.
    /// </summary>
    internal static string ResolveSocketDirectory(string dataDirectory, int port)
    {
        var preferred = Path.Combine(dataDirectory, "sock");
        if (SocketPathFits(preferred, port))
        {
            return preferred;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(dataDirectory)))[..16];
        return "/tmp/timeline-pg-" + hash;
    }

    internal static bool SocketPathFits(string socketDirectory, int port)
        => Encoding.UTF8.GetByteCount(socketDirectory + "/.s.PGSQL." + port.ToString(CultureInfo.InvariantCulture)) <= MaxSocketPathBytes;

    internal static string ClusterDirectoryOf(string dataDirectory) => Path.Combine(dataDirectory, "pg");

    internal static string PidFileOf(string dataDirectory) => Path.Combine(ClusterDirectoryOf(dataDirectory), "postmaster.pid");

    private static string LogFileOf(string dataDirectory) => Path.Combine(dataDirectory, "postgres.log");

    private static string? ReadClusterVersion(string cluster)
    {
        try
        {
            return File.ReadAllText(Path.Combine(cluster, "PG_VERSION")).Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static async Task<string> ResolveBinDirectoryAsync(string? explicitDirectory, string? clusterVersion, CancellationToken cancellationToken)
    {
        if (explicitDirectory is not null)
        {
            return HasServerBinaries(explicitDirectory) ? explicitDirectory : throw BinariesNotFound([explicitDirectory]);
        }

        var candidates = new List<string>();
        if (clusterVersion is not null)
        {
            // An existing cluster can only be run by its own major version.
            candidates.Add($"{DebianInstallRoot}/{clusterVersion}/bin");
        }

        candidates.Add($"{DebianInstallRoot}/{PreferredMajorVersion}/bin");
        if (Directory.Exists(DebianInstallRoot))
        {
            candidates.AddRange(Directory.EnumerateDirectories(DebianInstallRoot)
                .Select(d => (Directory: d, Version: decimal.TryParse(Path.GetFileName(d), NumberStyles.Number, CultureInfo.InvariantCulture, out var v) ? v : -1m))
                .OrderByDescending(d => d.Version)
                .Select(d => Path.Combine(d.Directory, "bin")));
        }

        var found = candidates.FirstOrDefault(HasServerBinaries);
        if (found is not null)
        {
            return found;
        }

        var pgConfig = PostgresCommandRunner.FindOnPath("pg_config");
        if (pgConfig is not null)
        {
            var result = await PostgresCommandRunner.RunProcessAsync(pgConfig, ["--bindir"], cancellationToken).ConfigureAwait(false);
            var bindir = result.StandardOutput.Trim();
            if (result.ExitCode == 0 && bindir.Length > 0)
            {
                candidates.Add(bindir);
                if (HasServerBinaries(bindir))
                {
                    return bindir;
                }
            }
        }

        var pgCtlOnPath = PostgresCommandRunner.FindOnPath("pg_ctl");
        if (pgCtlOnPath is not null && HasServerBinaries(Path.GetDirectoryName(pgCtlOnPath)!))
        {
            return Path.GetDirectoryName(pgCtlOnPath)!;
        }

        candidates.Add("PATH");
        throw BinariesNotFound(candidates.Distinct());
    }

    private static bool HasServerBinaries(string directory) => ServerBinaries.All(b => File.Exists(Path.Combine(directory, b)));

    private static InvalidOperationException BinariesNotFound(IEnumerable<string> lookedIn) => new(
        $"PostgreSQL server binaries not found (looked in {string.Join(", ", lookedIn)}). "
        + "Install them with `apt-get install postgresql` (Debian/Ubuntu), "
        + "or set ConnectionStrings__Marten to use an existing server.");

    /// <summary>
    /// Serialises initdb/start/stop between processes (and between instances in one process): FileShare.None is an
    /// exclusive flock on Unix, released by the kernel if the holder dies.
    /// </summary>
    private static async Task<FileStream> AcquireLockAsync(string dataDirectory, ILogger logger, CancellationToken cancellationToken)
    {
        var lockFile = Path.Combine(dataDirectory, ".lock");
        var waited = Stopwatch.StartNew();
        var logged = false;
        while (true)
        {
            try
            {
                return new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (waited.Elapsed < LockTimeout)
            {
                if (!logged)
                {
                    LocalPostgresLog.WaitingForLock(logger, lockFile);
                    logged = true;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The server running on the data directory according to postmaster.pid and `pg_ctl status`, if any.</summary>
    private static async Task<PidFile?> FindRunningServerAsync(
        PostgresCommandRunner runner, string bin, string dataDirectory, ILogger logger, CancellationToken cancellationToken)
    {
        var cluster = ClusterDirectoryOf(dataDirectory);
        var waited = Stopwatch.StartNew();
        var loggedShutdown = false;
        while (true)
        {
            var pidFile = PidFile.Read(PidFileOf(dataDirectory));
            if (pidFile is null || RemoveIfStale(PidFileOf(dataDirectory), pidFile.Pid, logger))
            {
                return null;
            }

            // Exit code 0: running; 3: not running (a stale postmaster.pid, which `pg_ctl start` replaces).
            var status = await runner.RunAsServerAsync(Path.Combine(bin, "pg_ctl"), ["status", "-D", cluster], cancellationToken).ConfigureAwait(false);
            if (status.ExitCode != 0)
            {
                return null;
            }

            // "ready" or "standby": usable. "starting" (or a pid file still being written): wait for its socket.
            // "stopping": a shutdown is under way (e.g. another process is disposing it); let it finish, then start afresh.
            var stopping = pidFile.Status == "stopping";
            if (!stopping && pidFile.Status is not (null or "" or "starting"))
            {
                return pidFile;
            }

            if (waited.Elapsed > ReadyTimeout)
            {
                throw new InvalidOperationException(
                    $"The PostgreSQL server on {cluster} (pid {pidFile.Pid}) has been {(stopping ? "shutting down" : "starting")} "
                    + $"for over {ReadyTimeout.TotalSeconds} s.{LogTail(LogFileOf(dataDirectory))}");
            }

            if (stopping && !loggedShutdown)
            {
                LocalPostgresLog.WaitingForShutdown(logger, cluster);
                loggedShutdown = true;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Deletes a postmaster.pid or socket lock file whose process is a zombie (Linux): the postmaster is dead, but
    /// until its parent reaps it kill(pid, 0) succeeds, so pg_ctl reports it running and postgres refuses to start.
    /// (Where the process is gone altogether, pg_ctl and postgres already treat the file as stale.) Deleting is safe:
    /// a new postmaster still refuses to start while orphaned backends hold the old shared memory, which it finds
    /// from the data directory's inode, not from this file.
    /// </summary>
    private static bool RemoveIfStale(string lockFile, string? pid, ILogger logger)
    {
        if (pid is null || !IsZombie(pid))
        {
            return false;
        }

        File.Delete(lockFile);
        LocalPostgresLog.RemovedStaleLockFile(logger, lockFile, pid);
        return true;
    }

    private static bool IsZombie(string pid)
    {
        if (!OperatingSystem.IsLinux() || !int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number <= 0)
        {
            return false;
        }

        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{number.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (IOException)
        {
            return false;
        }

        // "pid (comm) state ...", where comm may itself contain parentheses.
        var endOfComm = stat.LastIndexOf(')');
        return endOfComm >= 0 && endOfComm + 2 < stat.Length && stat[endOfComm + 2] is 'Z' or 'X';
    }

    /// <summary>Creates the socket directory and log file, and (as root) hands them to the postgres user.</summary>
    [UnsupportedOSPlatform("windows")]
    private static async Task PrepareDirectoriesAsync(
        PostgresCommandRunner runner, string dataDirectory, string socketDirectory, ILogger logger, CancellationToken cancellationToken)
    {
        const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

        // Trust authentication is safe because only the owner (and root) can enter the socket directory.
        Directory.CreateDirectory(socketDirectory);
        File.SetUnixFileMode(socketDirectory, OwnerOnly);

        var logFile = LogFileOf(dataDirectory);
        if (!File.Exists(logFile))
        {
            await File.WriteAllBytesAsync(logFile, [], cancellationToken).ConfigureAwait(false);
            File.SetUnixFileMode(logFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        if (!runner.SwitchUser)
        {
            return;
        }

        await ChownToServerAccountAsync([socketDirectory, logFile], cancellationToken).ConfigureAwait(false);
        await EnsureTraversableAsync(runner, [dataDirectory, socketDirectory], logger, cancellationToken).ConfigureAwait(false);
    }

    private static async Task ChownToServerAccountAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        // "user:" = that user and its login group.
        var result = await PostgresCommandRunner.RunProcessAsync("chown", [PostgresCommandRunner.ServerAccount + ":", "--", .. paths], cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(PostgresCommandRunner.Describe(result));
        }
    }

    /// <summary>
    /// Makes sure the postgres user can traverse to each of <paramref name="directories"/>: grants o+x (never read)
    /// on exactly the directories it cannot enter, top-down (e.g. /root, which is 0700), and warns naming them.
    /// </summary>
    [UnsupportedOSPlatform("windows")]
    private static async Task EnsureTraversableAsync(
        PostgresCommandRunner runner, IReadOnlyList<string> directories, ILogger logger, CancellationToken cancellationToken)
    {
        // Ancestors before descendants, so the first directory the user cannot enter is one that lacks x itself.
        var chain = directories
            .SelectMany(d => AncestorsAndSelf(d).Reverse())
            .Distinct(StringComparer.Ordinal)
            .ToList();

        const string PrintFirstNotEnterable = "for d in \"$@\"; do [ -x \"$d\" ] || { printf '%s\\n' \"$d\"; exit 0; }; done";
        var granted = new List<string>();
        while (true)
        {
            var check = await runner.RunAsServerAsync("/bin/sh", ["-c", PrintFirstNotEnterable, "sh", .. chain], cancellationToken).ConfigureAwait(false);
            if (check.ExitCode != 0)
            {
                throw new InvalidOperationException(PostgresCommandRunner.Describe(check));
            }

            var blocked = check.StandardOutput.TrimEnd('\n');
            if (blocked.Length == 0)
            {
                break;
            }

            if (granted.Contains(blocked))
            {
                throw new InvalidOperationException(
                    $"The '{PostgresCommandRunner.ServerAccount}' user cannot enter {blocked} even after granting o+x; "
                    + "fix its permissions or choose another data directory (TIMELINE_DATA_DIR).");
            }

            File.SetUnixFileMode(blocked, File.GetUnixFileMode(blocked) | UnixFileMode.OtherExecute);
            granted.Add(blocked);
        }

        if (granted.Count > 0)
        {
            LocalPostgresLog.GrantedTraverse(logger, string.Join(", ", granted), PostgresCommandRunner.ServerAccount);
        }
    }

    private static IEnumerable<string> AncestorsAndSelf(string directory)
    {
        for (var d = directory; !string.IsNullOrEmpty(d); d = Path.GetDirectoryName(d))
        {
            yield return d;
        }
    }

    /// <summary>Runs initdb unless the cluster exists; initdb works in a staging directory renamed into place.</summary>
    [UnsupportedOSPlatform("windows")]
    private static async Task InitializeClusterIfNeededAsync(
        PostgresCommandRunner runner, string bin, string dataDirectory, bool sync, ILogger logger, CancellationToken cancellationToken)
    {
        var cluster = ClusterDirectoryOf(dataDirectory);
        if (File.Exists(Path.Combine(cluster, "PG_VERSION")))
        {
            return;
        }

        if (Directory.Exists(cluster))
        {
            if (Directory.EnumerateFileSystemEntries(cluster).Any())
            {
                throw new InvalidOperationException(
                    $"{cluster} exists but is not a PostgreSQL data directory (it has no PG_VERSION). "
                    + "Move it away or delete it so that a new cluster can be created.");
            }

            Directory.Delete(cluster);
        }

        // A crash during initdb leaves only the staging directory behind, never a half-made cluster.
        var staging = cluster + ".initdb";
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        Directory.CreateDirectory(staging);
        File.SetUnixFileMode(staging, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (runner.SwitchUser)
        {
            await ChownToServerAccountAsync([staging], cancellationToken).ConfigureAwait(false);
        }

        LocalPostgresLog.InitializingCluster(logger, cluster, bin);
        var locale = Directory.Exists("/usr/lib/locale/C.utf8") || Directory.Exists("/usr/lib/locale/C.UTF-8")
            ? "--locale=C.UTF-8"
            : "--no-locale";
        List<string> arguments = ["-D", staging, "-U", SuperUser, "--auth-local=trust", "--auth-host=reject", "--encoding=UTF8", locale];
        if (!sync)
        {
            arguments.Add("--no-sync");
        }

        var result = await runner.RunAsServerAsync(Path.Combine(bin, "initdb"), arguments, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("Could not create the PostgreSQL cluster: " + PostgresCommandRunner.Describe(result));
        }

        Directory.Move(staging, cluster);
    }

    private async Task StartServerAsync(CancellationToken cancellationToken)
    {
        LocalPostgresLog.Starting(_logger, ClusterDirectory, SocketDirectory, Port, LogFile);
        var elapsed = Stopwatch.StartNew();

        // pg_ctl hands -o to postgres through /bin/sh, hence the quoting. fsync etc. stay at their (safe) defaults.
        string[] serverOptions =
        [
            "-k", SocketDirectory,
            "-c", "listen_addresses=",
            "-p", Port.ToString(CultureInfo.InvariantCulture),
            "-c", "max_connections=200",
        ];
        var result = await _runner.RunAsServerAsync(
            Path.Combine(BinDirectory, "pg_ctl"),
            [
                "-D", ClusterDirectory, "-l", LogFile, "-w", "-t", "60",
                "-o", string.Join(' ', serverOptions.Select(PostgresCommandRunner.ShellQuote)),
                "start",
            ],
            cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            var message = "Could not start the private PostgreSQL server: " + PostgresCommandRunner.Describe(result) + LogTail(LogFile);
            await TryStopAfterFailedStartAsync().ConfigureAwait(false);
            throw new InvalidOperationException(message);
        }

        LocalPostgresLog.Started(_logger, elapsed.ElapsedMilliseconds);
    }

    /// <summary>Best effort: do not leave behind a server (e.g. one still starting after pg_ctl gave up) that nobody will stop.</summary>
    private async Task TryStopAfterFailedStartAsync()
    {
        try
        {
            await StopServerAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or TimeoutException or NpgsqlException)
        {
            // The original failure is the one worth reporting.
        }
    }

    /// <summary>pg_ctl stop -m fast; a server that is already gone counts as stopped. The caller holds the lock.</summary>
    private async Task StopServerAsync(CancellationToken cancellationToken)
    {
        var pidFile = PidFileOf(DataDirectory);
        if (!File.Exists(pidFile))
        {
            LocalPostgresLog.AlreadyStopped(_logger, ClusterDirectory);
            return;
        }

        LocalPostgresLog.Stopping(_logger, ClusterDirectory);
        var pgCtl = Path.Combine(BinDirectory, "pg_ctl");
        var result = await _runner.RunAsServerAsync(pgCtl, ["-D", ClusterDirectory, "-m", "fast", "-w", "-t", "60", "stop"], cancellationToken).ConfigureAwait(false);

        // The server is gone: pooled connections to it are dead, and a restarted server must get fresh ones.
        var connection = new NpgsqlConnection(ConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            NpgsqlConnection.ClearPool(connection);
        }

        if (result.ExitCode == 0)
        {
            return;
        }

        // Not running (stale postmaster.pid, or stopped meanwhile by someone else): nothing to stop.
        var status = await _runner.RunAsServerAsync(pgCtl, ["status", "-D", ClusterDirectory], cancellationToken).ConfigureAwait(false);
        if (!File.Exists(pidFile) || status.ExitCode == 3)
        {
            LocalPostgresLog.AlreadyStopped(_logger, ClusterDirectory);
            return;
        }

        throw new InvalidOperationException(
            "Could not stop the private PostgreSQL server: " + PostgresCommandRunner.Describe(result) + LogTail(LogFile));
    }

    /// <summary>Creates the timeline database if absent, waiting for a (re)starting server to accept connections.</summary>
    private async Task EnsureDatabaseAsync(CancellationToken cancellationToken)
    {
        var admin = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString;
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var connection = new NpgsqlConnection(admin);
                await using (connection.ConfigureAwait(false))
                {
                    await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

                    var exists = new NpgsqlCommand("select 1 from pg_database where datname = $1", connection)
                    {
                        Parameters = { new NpgsqlParameter { Value = DatabaseName } },
                    };
                    await using (exists.ConfigureAwait(false))
                    {
                        if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null)
                        {
                            return;
                        }
                    }

                    var create = new NpgsqlCommand($"create database \"{DatabaseName}\"", connection);
                    await using (create.ConfigureAwait(false))
                    {
                        await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    LocalPostgresLog.CreatedDatabase(_logger, DatabaseName);
                    return;
                }
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateDatabase)
            {
                return;
            }
            catch (Exception ex) when (IsNotReadyYet(ex) && waited.Elapsed < ReadyTimeout)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
            }
            catch (NpgsqlException ex)
            {
                throw new InvalidOperationException(
                    $"Could not connect to the private PostgreSQL server (socket {SocketDirectory}, port {Port}): {ex.Message}{LogTail(LogFile)}", ex);
            }
        }
    }

    private static bool IsNotReadyYet(Exception ex) => ex switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.CannotConnectNow,
        NpgsqlException npgsql => npgsql.InnerException is System.Net.Sockets.SocketException or IOException,
        _ => false,
    };

    private static string LogTail(string logFile)
    {
        try
        {
            using var stream = new FileStream(logFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            stream.Seek(Math.Max(0, stream.Length - 16384), SeekOrigin.Begin);
            using var reader = new StreamReader(stream);
            var tail = PostgresCommandRunner.Tail(reader.ReadToEnd());
            return tail.Length == 0 ? string.Empty : $"\n--- {logFile} (tail) ---\n{tail}";
        }
        catch (IOException)
        {
            return string.Empty;
        }
        catch (UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    /// <summary>postmaster.pid: pid, data directory, start time, port, socket directory, listen address, shmem key, status.</summary>
    private sealed record PidFile(string Pid, int? Port, string? SocketDirectory, string? Status)
    {
        public static PidFile? Read(string path)
        {
            string[] lines;
            try
            {
                lines = File.ReadAllLines(path);
            }
            catch (IOException)
            {
                return null;
            }

            string? Line(int number) => lines.Length >= number ? lines[number - 1].Trim() : null;
            var pid = Line(1);
            if (string.IsNullOrEmpty(pid))
            {
                // Being written right now, or empty: let pg_ctl decide.
                return new PidFile("?", null, null, null);
            }

            return new PidFile(
                pid,
                int.TryParse(Line(4), NumberStyles.Integer, CultureInfo.InvariantCulture, out var port) ? port : null,
                string.IsNullOrEmpty(Line(5)) ? null : Line(5),
                Line(8));
        }
    }
}
