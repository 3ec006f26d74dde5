namespace Timeline.Projections.Events;

/// <summary>
/// An optional field of a fact left empty on purpose, with why (a CDISC-style null flavour), so that "unknown" is
/// never typed as a magic value into the field itself.
/// </summary>
/// <param name="Field">The request body's name of the field (camelCase), e.g. "metastatic".</param>
/// <param name="Reason">One of <see cref="MissingReasons.All"/>.</param>
public sealed record MissingValue(string Field, string Reason);

/// <summary>The reasons a value may be missing, as the API writes them, each with the CDISC / HL7 null flavour it stands for.</summary>
public static class MissingReasons
{
    public const string Unknown = "unknown";
    public const string NotDone = "not-done";
    public const string NotApplicable = "not-applicable";
    public const string AskedNotKnown = "asked-not-known";

    public static readonly IReadOnlyDictionary<string, string> NullFlavour = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Unknown] = "UNK", [NotDone] = "ND", [NotApplicable] = "NA", [AskedNotKnown] = "ASKU",
    };

    public static readonly IReadOnlyList<string> All = [Unknown, NotDone, NotApplicable, AskedNotKnown];
}

/// <summary>The named soft checks a recorder overrode, and the reason given (a soft check warns; a clinician may record anyway).</summary>
public sealed record SoftCheckOverride(IReadOnlyList<string> Rules, string Reason);
