using System.Net;
using Timeline.Demo;

namespace Timeline.Tests.Api;

/// <summary>The demo command's recording path into a real store, read back through the public analysis routes.</summary>
public sealed class DemoCohortApiTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task The_demo_cohort_reproduces_the_abstract_through_the_api_and_a_second_run_changes_nothing()
    {
        var first = await DemoRecorder.RecordAsync(Host.Services);
        first.Refused.ShouldBeEmpty();
        first.Recorded.ShouldBe(DemoCohort.Facts.Count);

        // Every demo fact names its recorder: the demo itself, never an empty author.
        var history = (await Api.Get("/api/patients/DEMO-OS-01/history")).ShouldHave(HttpStatusCode.OK).Json;
        history.GetArrayLength().ShouldBeGreaterThan(1);
        history.EnumerateArray().ShouldAllBe(e => e.GetProperty("recordedBy").GetString() == DemoRecorder.RecorderName);

        var cohort = (await Api.Get("/api/analyses/cohort")).ShouldHave(HttpStatusCode.OK).Json;
        cohort.GetProperty("mtkiPatients").GetInt32().ShouldBe(18);
        cohort.GetProperty("medianAgeAtMtkiStart").GetDouble().ShouldBe(16.5);
        var mtkiByHistology = cohort.GetProperty("byHistology").EnumerateArray()
            .ToDictionary(h => h.GetProperty("name").GetString()!, h => h.GetProperty("mtkiPatients").GetInt32());
        mtkiByHistology["osteosarcoma"].ShouldBe(13);
        mtkiByHistology["synovial sarcoma"].ShouldBe(3);
        mtkiByHistology["chondrosarcoma"].ShouldBe(1);
        mtkiByHistology["rhabdomyosarcoma"].ShouldBe(1);

        var ttp = (await Api.Get("/api/analyses/time-to-progression")).Json.GetProperty("ttp");
        Math.Round(ttp.GetProperty("median").GetDouble(), 1).ShouldBe(4.0);

        var response = (await Api.Get("/api/analyses/response")).Json;
        (response.GetProperty("counts").GetProperty("CR").GetInt32() + response.GetProperty("counts").GetProperty("PR").GetInt32()).ShouldBe(3);
        response.GetProperty("n").GetInt32().ShouldBe(18);

        var os = (await Api.Get("/api/analyses/overall-survival?histology=osteosarcoma")).Json.GetProperty("logRank");
        Math.Round(os.GetProperty("chiSquare").GetDouble(), 2).ShouldBe(8.13);
        os.GetProperty("df").GetInt32().ShouldBe(1);
        Math.Round(os.GetProperty("p").GetDouble(), 3).ShouldBe(0.004);

        var rows = (await Api.Get("/api/analyses/patients?histology=osteosarcoma&unit=days")).Json.GetProperty("patients");
        rows.EnumerateArray().Count(r => r.GetProperty("group").GetString() == "mtki").ShouldBe(13);

        var before = (await Api.Get("/api/patients")).Body;
        var second = await DemoRecorder.RecordAsync(Host.Services);
        second.Recorded.ShouldBe(0);
        second.AlreadyPresent.ShouldBe(DemoCohort.Facts.Select(f => f.PatientId).Distinct().Count());
        (await Api.Get("/api/patients")).Body.ShouldBe(before);
    }
}
