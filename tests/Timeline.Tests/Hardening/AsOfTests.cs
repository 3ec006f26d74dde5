using System.Net;
using Timeline.Tests.Api;

namespace Timeline.Tests.Hardening;

/// <summary>
/// Issue 16, the asOf rows: one parser for every asOf (the timeline and every analysis). An instant with an offset
/// answers exactly as the same instant in UTC (it crashed the store's query before); anything but an ISO-8601
/// date and time with a zone is a 400 naming asOf, never a guess.
/// </summary>
public sealed class AsOfTests(ApiFixture fixture) : ApiTest(fixture)
{
    static readonly string[] Routes =
    [
        "/api/patients/OSC-001/timeline",
        "/api/analyses/overall-survival",
        "/api/analyses/time-to-progression",
        "/api/analyses/response",
        "/api/analyses/cohort",
        "/api/analyses/patients",
    ];

    /// <summary>Instants far in the future (everything recorded) written in several zones, each with its UTC twin.</summary>
    public static TheoryData<string, string> SameInstants => new()
    {
        { "2030-01-01T00:00:00+01:00", "2029-12-31T23:00:00Z" },
        { "2030-01-01T00:00:00-05:00", "2030-01-01T05:00:00Z" },
        { "2030-01-01T00:00:00+14:00", "2029-12-31T10:00:00Z" },
        { "2030-01-01T00:00:00.1234567+05:30", "2029-12-31T18:30:00.1234567Z" },
    };

    [Theory]
    [MemberData(nameof(SameInstants))]
    public async Task An_offset_answers_as_the_same_instant_in_utc_on_every_route(string withOffset, string utc)
    {
        await Api.RecordFullCourse("OSC-001");
        foreach (var route in Routes)
        {
            var zoned = (await Api.Get($"{route}?asOf={Uri.EscapeDataString(withOffset)}")).ShouldHave(HttpStatusCode.OK);
            var plain = (await Api.Get($"{route}?asOf={Uri.EscapeDataString(utc)}")).ShouldHave(HttpStatusCode.OK);
            WithoutComputedAt(zoned.Body).ShouldBe(WithoutComputedAt(plain.Body), route);
        }
    }

    [Fact]
    public async Task An_offset_in_the_past_cuts_the_timeline_at_that_instant()
    {
        await Api.WithEnrolledPatient("OSC-001");
        var enrolled = DateTimeOffset.UtcNow;
        await Task.Delay(50);
        (await Api.Post("/api/patients/OSC-001/diagnosis", new { date = "2019-03-01", histology = "osteosarcoma" })).ShouldHave(HttpStatusCode.OK);

        var then = enrolled.ToOffset(TimeSpan.FromHours(-5)).ToString("yyyy-MM-ddTHH:mm:ss.fffffffzzz", System.Globalization.CultureInfo.InvariantCulture);
        var timeline = (await Api.Get($"/api/patients/OSC-001/timeline?asOf={Uri.EscapeDataString(then)}")).ShouldHave(HttpStatusCode.OK).Json;
        timeline.GetProperty("version").GetInt64().ShouldBe(1);
    }

    [Theory]
    [InlineData("1/2/2020")]
    [InlineData("Jan 1 2020")]
    [InlineData("12:00")]
    [InlineData("2020-01-02")]                  // a bare date: which end of the day? refused, not guessed
    [InlineData("2020-01-02T12:00:00")]         // no zone: refused, not read as the server's or UTC
    [InlineData("2020-01-02 12:00:00Z")]
    [InlineData("2020-01-02T12:00:00 01:00")]   // an unescaped '+' arrives as a space
    [InlineData("2020-01-02T12:00:00+15:00")]
    [InlineData("2020-01-02T12:00:00Z\n")]
    [InlineData("\uFF12\uFF10\uFF12\uFF10-01-02T12:00:00Z")]
    [InlineData("9999-12-31T23:00:00-05:00")]   // past the last instant there is
    public async Task Anything_but_an_iso_instant_with_a_zone_is_a_400_naming_asOf_on_every_route(string asOf)
    {
        await Api.WithEnrolledPatient("OSC-001");
        foreach (var route in Routes)
            (await Api.Get($"{route}?asOf={Uri.EscapeDataString(asOf)}")).ShouldBeProblem(HttpStatusCode.BadRequest, "asOf");
    }

    static string WithoutComputedAt(string json) =>
        System.Text.RegularExpressions.Regex.Replace(json, "\"computedAt\":\"[^\"]*\"", "");
}
