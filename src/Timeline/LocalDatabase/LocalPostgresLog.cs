using Microsoft.Extensions.Logging;

namespace Timeline.LocalDatabase;

internal static partial class LocalPostgresLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Initializing a new PostgreSQL cluster in {ClusterDirectory} using {BinDirectory}")]
    public static partial void InitializingCluster(ILogger logger, string clusterDirectory, string binDirectory);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information,
        Message = "Starting the private PostgreSQL server on {ClusterDirectory} (socket directory {SocketDirectory}, port {Port}, log {LogFile})")]
    public static partial void Starting(ILogger logger, string clusterDirectory, string socketDirectory, int port, string logFile);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information,
        Message = "PostgreSQL server started in {ElapsedMilliseconds} ms")]
    public static partial void Started(ILogger logger, long elapsedMilliseconds);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information,
        Message = "A PostgreSQL server (pid {Pid}) is already running on {ClusterDirectory}; reusing it, and it will be left running on dispose")]
    public static partial void Reusing(ILogger logger, string pid, string clusterDirectory);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information,
        Message = "Created database {Database}")]
    public static partial void CreatedDatabase(ILogger logger, string database);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning,
        Message = "Granted o+x (traverse only, not read) on {Directories} so that the '{Account}' user can reach the PostgreSQL data directory")]
    public static partial void GrantedTraverse(ILogger logger, string directories, string account);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information,
        Message = "Waiting for {LockFile}: another process is starting or stopping the server")]
    public static partial void WaitingForLock(ILogger logger, string lockFile);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information,
        Message = "A Unix socket under {DataDirectory} would exceed the 107-byte path limit; using {SocketDirectory}")]
    public static partial void SocketFallback(ILogger logger, string dataDirectory, string socketDirectory);

    [LoggerMessage(EventId = 9, Level = LogLevel.Information,
        Message = "Stopping the private PostgreSQL server on {ClusterDirectory}")]
    public static partial void Stopping(ILogger logger, string clusterDirectory);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information,
        Message = "PostgreSQL server on {ClusterDirectory} was already stopped")]
    public static partial void AlreadyStopped(ILogger logger, string clusterDirectory);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information,
        Message = "A PostgreSQL server on {ClusterDirectory} is shutting down; waiting for it to finish before starting it again")]
    public static partial void WaitingForShutdown(ILogger logger, string clusterDirectory);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning,
        Message = "Removed stale {LockFile}: its process {Pid} has exited")]
    public static partial void RemovedStaleLockFile(ILogger logger, string lockFile, string pid);
}
