using Timeline.Projections.Events;

namespace Timeline.Recording;

/// <summary>A recording route's body: it turns itself into the clinical fact it describes, or says what is missing.</summary>
public interface IFactRequest
{
    ClinicalFact ToFact(FieldErrors errors);
}
