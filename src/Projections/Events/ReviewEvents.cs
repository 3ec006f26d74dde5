namespace Timeline.Projections.Events;

// Review: what monitors, administrators and investigators add to a record. None of it is a clinical fact, so
// no projection of the clinic (chart facts, outcomes, analyses) reads it. Each event says who and when in its
// own body, because a signature's manifestation (21 CFR 11.50: name, time, meaning) is part of what is signed,
// and so that the read models stay a fold of event data alone.

/// <summary>What an investigator's signature means (21 CFR 11.50(a)(3)).</summary>
public enum SignatureMeaning { Reviewed, Approved }

/// <summary>The patient's record is closed to new facts and corrections until unlocked (e.g. for a database lock).</summary>
public sealed record PatientLocked(string By, DateTimeOffset At, string Reason);

public sealed record PatientUnlocked(string By, DateTimeOffset At, string Reason);

/// <summary>
/// An investigator signed the record as it stood at <paramref name="CoversVersion"/> (the stream version
/// before this event). A later fact or correction supersedes it: the signature stays, naming what it covered.
/// </summary>
public sealed record RecordSigned(string Signer, DateTimeOffset SignedAt, SignatureMeaning Meaning, long CoversVersion);

// Data queries: the monitor–site dialogue about a fact or a patient. Each query is a stream of its own ("Q-<guid>").

public enum QueryStatus { Open, Answered, Closed }

/// <param name="EventId">The fact queried, in the patient's stream; null for a query on the patient as a whole.</param>
public sealed record QueryRaised(string PatientId, Guid? EventId, string Text, string By, DateTimeOffset At);

public sealed record QueryAnswered(string Text, string By, DateTimeOffset At);

public sealed record QueryClosed(string By, DateTimeOffset At);

public sealed record QueryReopened(string? Text, string By, DateTimeOffset At);
