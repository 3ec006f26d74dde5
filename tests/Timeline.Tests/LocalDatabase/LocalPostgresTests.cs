using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;
using Timeline.LocalDatabase;
using Xunit.Abstractions;

namespace Timeline.Tests.LocalDatabase;

/// <summary>
/// Integration tests against real PostgreSQL binaries (/usr/lib/postgresql/*/bin). Each test gets its own data
/// directories under a fresh /tmp directory with mode 0700, so that when the tests run as root they also check that
/// LocalPostgres lets the postgres user traverse to them. Every server is stopped in <see cref="DisposeAsync"/>.
/// </summary>
public sealed class LocalPostgresTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TestOutputLogger _logger = new(output);
    private readonly string _root = Path.Combine("/tmp", "timeline-pgtest-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly List<LocalPostgres> _servers = [];

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        if (!Directory.Exists(_root))
        {
            return;
        }

        // Belt and braces: no postgres process may outlive the tests, whatever happened above.
        foreach (var dataDirectory in Directory.GetDirectories(_root))
        {
            await LocalPostgres.StopServerOnAsync(dataDirectory);
        }

        foreach (var socketDirectory in _servers.Select(s => s.SocketDirectory).Where(d => !d.StartsWith(_root, StringComparison.Ordinal)).Distinct())
        {
            if (Directory.Exists(socketDirectory))
            {
                Directory.Delete(socketDirectory, recursive: true);
            }
        }

        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Missing_binaries_give_a_clear_message()
    {
        var dataDirectory = Path.Combine(_root, "data");

        var ex = await Should.ThrowAsync<InvalidOperationException>(
            () => LocalPostgres.StartAsync(dataDirectory, logger: null, binDirectory: "/nonexistent"));

        ex.Message.ShouldBe(
            "PostgreSQL server binaries not found (looked in /nonexistent). Install them with `apt-get install postgresql` "
            + "(Debian/Ubuntu), or set ConnectionStrings__Marten to use an existing server.");
        Directory.Exists(dataDirectory).ShouldBeFalse();
    }

    [Fact]
    public void A_data_directory_too_deep_for_a_unix_socket_gets_a_socket_directory_under_tmp()
    {
        LocalPostgres.ResolveSocketDirectory("/tmp/short", 5433).ShouldBe("/tmp/short/sock");

        // "/.s.PGSQL.5433" is 14 bytes and "/sock" 5: a 88-byte data directory gives exactly 107 bytes.
        var longest = "/tmp/" + new string('a', 83);
        LocalPostgres.ResolveSocketDirectory(longest, 5433).ShouldBe(longest + "/sock");

        var tooLong = longest + "b";
        var fallback = LocalPostgres.ResolveSocketDirectory(tooLong, 5433);
        fallback.ShouldStartWith("/tmp/timeline-pg-");
        LocalPostgres.SocketPathFits(fallback, 5433).ShouldBeTrue();
        LocalPostgres.ResolveSocketDirectory(tooLong, 5433).ShouldBe(fallback);
        LocalPostgres.ResolveSocketDirectory(tooLong + "c", 5433).ShouldNotBe(fallback);
    }

    [Fact]
    public async Task Starts_keeps_data_across_restarts_and_stops_on_dispose()
    {
        var dataDirectory = Path.Combine(_root, "data");
        var pidFile = Path.Combine(dataDirectory, "pg", "postmaster.pid");

        var first = await Start(dataDirectory);
        first.StartedByThisInstance.ShouldBeTrue();
        first.SocketDirectory.ShouldBe(Path.Combine(dataDirectory, "sock"));
        File.Exists(Path.Combine(dataDirectory, "pg", "PG_VERSION")).ShouldBeTrue();
        await using (var connection = await Open(first.ConnectionString))
        {
            (await Scalar(connection, "select 1")).ShouldBe(1);
            (await Scalar(connection, "select current_database()")).ShouldBe("timeline");
            (await Scalar(connection, "show fsync")).ShouldBe("on");
            (await Scalar(connection, "show listen_addresses")).ShouldBe(string.Empty);
            await Scalar(connection, "create table notes (id int primary key, body text not null); insert into notes values (1, 'kept')");
        }

        var socketLockFile = Path.Combine(first.SocketDirectory, ".s.PGSQL.5433.lock");
        var crashedPidFile = await File.ReadAllTextAsync(pidFile);
        var crashedSocketLockFile = await File.ReadAllTextAsync(socketLockFile);
        await first.DisposeAsync();

        File.Exists(pidFile).ShouldBeFalse();
        var refused = await Record.ExceptionAsync(() => Open(Unpooled(first.ConnectionString)));
        refused.ShouldBeAssignableTo<NpgsqlException>();

        // Second start reuses the cluster.
        var second = await Start(dataDirectory);
        second.StartedByThisInstance.ShouldBeTrue();
        await using (var connection = await Open(second.ConnectionString))
        {
            (await Scalar(connection, "select body from notes where id = 1")).ShouldBe("kept");
        }

        await second.DisposeAsync();
        File.Exists(pidFile).ShouldBeFalse();

        // Lock files left by a crash (their postmaster is dead: gone, or a zombie not yet reaped) do not prevent a start.
        await File.WriteAllTextAsync(pidFile, crashedPidFile);
        await File.WriteAllTextAsync(socketLockFile, crashedSocketLockFile);
        var third = await Start(dataDirectory);
        third.StartedByThisInstance.ShouldBeTrue();
        await using (var connection = await Open(third.ConnectionString))
        {
            (await Scalar(connection, "select count(*) from notes")).ShouldBe(1L);
        }

        await third.DisposeAsync();
        File.Exists(pidFile).ShouldBeFalse();

        // A failing start reports the command, its exit code and output, and the server log.
        await File.AppendAllTextAsync(Path.Combine(dataDirectory, "pg", "postgresql.conf"), "\nno_such_setting = 1\n");
        var failed = await Should.ThrowAsync<InvalidOperationException>(() => StartNew(dataDirectory));
        failed.Message.ShouldContain("pg_ctl");
        failed.Message.ShouldContain("failed with exit code 1");
        failed.Message.ShouldContain("postgres.log (tail)");
        failed.Message.ShouldContain("unrecognized configuration parameter \"no_such_setting\"");
        File.Exists(pidFile).ShouldBeFalse();

        if (Environment.IsPrivilegedProcess && !OperatingSystem.IsWindows())
        {
            // The 0700 parent was opened for traversal by the postgres user, and only that.
            var mode = File.GetUnixFileMode(_root);
            mode.HasFlag(UnixFileMode.OtherExecute).ShouldBeTrue();
            mode.HasFlag(UnixFileMode.OtherRead).ShouldBeFalse();
        }
    }

    [Fact]
    public async Task Concurrent_starts_share_one_server_that_only_its_starter_stops()
    {
        // Too deep for a socket inside it, so this also covers the /tmp socket directory.
        var dataDirectory = Path.Combine(_root, new string('d', 100));
        var pidFile = Path.Combine(dataDirectory, "pg", "postmaster.pid");

        var servers = await Task.WhenAll(StartNew(dataDirectory), StartNew(dataDirectory));
        _servers.AddRange(servers);

        var owner = servers.Single(s => s.StartedByThisInstance);
        var guest = servers.Single(s => !s.StartedByThisInstance);
        owner.SocketDirectory.ShouldStartWith("/tmp/timeline-pg-");
        guest.ConnectionString.ShouldBe(owner.ConnectionString);
        foreach (var server in servers)
        {
            await using var connection = await Open(server.ConnectionString);
            (await Scalar(connection, "select 1")).ShouldBe(1);
        }

        await guest.DisposeAsync();
        File.Exists(pidFile).ShouldBeTrue();
        await using (var connection = await Open(Unpooled(owner.ConnectionString)))
        {
            (await Scalar(connection, "select 1")).ShouldBe(1);
        }

        await owner.DisposeAsync();
        File.Exists(pidFile).ShouldBeFalse();
    }

    private async Task<LocalPostgres> Start(string dataDirectory)
    {
        var server = await StartNew(dataDirectory);
        _servers.Add(server);
        return server;
    }

    /// <summary>As the app starts it, except that initdb skips flushing the throwaway cluster to disk (seconds saved).</summary>
    private Task<LocalPostgres> StartNew(string dataDirectory)
        => LocalPostgres.StartAsync(dataDirectory, _logger, binDirectory: null, syncNewCluster: false, CancellationToken.None);

    private static string Unpooled(string connectionString)
        => new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;

    private static async Task<NpgsqlConnection> Open(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync();
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static async Task<object?> Scalar(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    /// <summary>Shows LocalPostgres's log in the test output, with timings.</summary>
    private sealed class TestOutputLogger(ITestOutputHelper output) : ILogger
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => output.WriteLine($"{_clock.ElapsedMilliseconds,6} ms {logLevel}: {formatter(state, exception)}");
    }
}
