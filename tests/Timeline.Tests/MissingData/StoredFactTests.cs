using System.Text;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Timeline.Projections.Events;
using Timeline.Tests.Api;

namespace Timeline.Tests.MissingData;

/// <summary>
/// The event store's own serializer (Marten's, as configured in TimelineStore) and the two optional members of a fact:
/// events stored before they existed still read, and events without them are stored exactly as before.
/// </summary>
public sealed class StoredFactTests(ApiFixture fixture) : ApiTest(fixture)
{
    Marten.ISerializer Serializer => Host.Services.GetRequiredService<IDocumentStore>().Options.Serializer();

    T Read<T>(string json) => Serializer.FromJson<T>(new MemoryStream(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void An_event_stored_before_missing_values_existed_reads_without_them()
    {
        var old = Read<DiagnosisRecorded>("""{"date":"2019-03-01","histology":"9180/3","primarySite":"femur","metastatic":null}""");
        old.Histology.ShouldBe("9180/3");
        old.Missing.ShouldBeNull();
        old.Override.ShouldBeNull();
        var replaced = Read<FactCorrected>("""{"eventId":"0f8fad5b-d9cb-469f-a165-70867728950e","reason":"typo","replacement":{"date":"2019-06-01","line":1,"category":"PR","kind":"response"}}""");
        replaced.Replacement.ShouldBeOfType<ResponseAssessed>().Override.ShouldBeNull();
    }

    [Fact]
    public void A_fact_without_them_is_stored_as_before_and_one_with_them_round_trips()
    {
        var plain = new DiagnosisRecorded(new DateOnly(2019, 3, 1), "9180/3", "femur", null);
        var json = Serializer.ToJson(plain);
        json.ShouldNotContain("missing");
        json.ShouldNotContain("override");

        var typed = plain with
        {
            Missing = [new MissingValue("metastatic", MissingReasons.NotDone)],
            Override = new SoftCheckOverride(["response-late"], "Long-term responder"),
        };
        var back = Read<DiagnosisRecorded>(Serializer.ToJson(typed));
        back.Missing.ShouldNotBeNull().Single().ShouldBe(new MissingValue("metastatic", "not-done"));
        back.Override.ShouldNotBeNull().Reason.ShouldBe("Long-term responder");
        back.Override.Rules.ShouldBe(["response-late"]);
        var inCorrection = Read<FactCorrected>(Serializer.ToJson(new FactCorrected(Guid.NewGuid(), "staging", typed)));
        inCorrection.Replacement.Missing.ShouldNotBeNull().Single().Field.ShouldBe("metastatic");
    }
}
