using System.Reflection;
using System.Text.Json.Serialization;

namespace Timeline.Projections.Events;

/// <summary>A fact's kind as the JSON names it ("diagnosis", "treatment-line", …: the discriminator in PatientEvents.cs).</summary>
public static class FactKinds
{
    static readonly Dictionary<Type, string> ByType = typeof(ClinicalFact)
        .GetCustomAttributes<JsonDerivedTypeAttribute>()
        .ToDictionary(a => a.DerivedType, a => (string)a.TypeDiscriminator!);

    public static string Of(ClinicalFact fact) => ByType[fact.GetType()];

    public static string Of(Type factType) => ByType[factType];
}
