using System.Text.Json.Serialization;

namespace Timeline.Projections.Events;

public enum Sex { Female, Male, Other, Unknown }

/// <summary>Why a treatment line stopped.</summary>
public enum LineEndReason { Completed, Progression, Toxicity, Death, Other }

public enum DeathCause { Disease, Treatment, Other, Unknown }

/// <summary>RECIST 1.1 response categories; written upper-case on the wire, as clinicians write them.</summary>
public enum RecistCategory
{
    [JsonStringEnumMemberName("CR")] CR,
    [JsonStringEnumMemberName("PR")] PR,
    [JsonStringEnumMemberName("SD")] SD,
    [JsonStringEnumMemberName("PD")] PD,
    [JsonStringEnumMemberName("NE")] NE,
}
