using Microsoft.Extensions.Configuration;
using Timeline.Access;

namespace Timeline.Tests.Hardening;

/// <summary>
/// The app-wide line for heavy reads (UserLimits.Everyone): however many users read heavily, no more than its bound
/// run at once, the rest wait in its line, and a place frees when a read ends. The limiter alone, no server.
/// </summary>
public sealed class AppWideLineTests
{
    static UserLimits Limits(int atOnce, int queue, int waitSeconds) => new(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Timeline:Limits:HeavyReadsAtOnce"] = atOnce.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Timeline:Limits:HeavyReadQueue"] = queue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Timeline:Limits:HeavyReadWaitSeconds"] = waitSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    }).Build());

    [Fact]
    public async Task Past_the_bound_a_heavy_read_is_refused_when_the_line_is_full_and_admitted_once_a_place_frees()
    {
        var limits = Limits(atOnce: 1, queue: 0, waitSeconds: 0);
        var first = await limits.TryEnterAsync(UserLimits.Everyone, CostlyWork.HeavyRead, CancellationToken.None);
        first.ShouldNotBeNull();
        (await limits.TryEnterAsync(UserLimits.Everyone, CostlyWork.HeavyRead, CancellationToken.None)).ShouldBeNull();
        first.Dispose();
        using var again = await limits.TryEnterAsync(UserLimits.Everyone, CostlyWork.HeavyRead, CancellationToken.None);
        again.ShouldNotBeNull();
    }

    [Fact]
    public async Task A_waiting_heavy_read_enters_when_the_running_one_ends()
    {
        var limits = Limits(atOnce: 1, queue: 4, waitSeconds: 10);
        var first = await limits.TryEnterAsync(UserLimits.Everyone, CostlyWork.HeavyRead, CancellationToken.None);
        var waiting = limits.TryEnterAsync(UserLimits.Everyone, CostlyWork.HeavyRead, CancellationToken.None);
        await Task.Delay(100);
        waiting.IsCompleted.ShouldBeFalse("only one runs at once");
        first!.Dispose();
        using var second = await waiting;
        second.ShouldNotBeNull();
    }
}
