using System.Security.Cryptography;
using System.Text;

namespace Timeline.Exchange.Fhir;

/// <summary>
/// Resource ids that depend on the events alone, so the same events give the same ids (and bytes) in every export.
/// A resource made from one event takes that event's id; one of several made from the same event (the agents of a
/// line) takes a name-based UUID of the event id and its part (RFC 9562 version 8: SHA-256 of both, truncated), stable and free of collisions.
/// </summary>
public static class FhirIds
{
    public static string Of(Guid eventId) => eventId.ToString("D");

    /// <summary>The id of part <paramref name="part"/> of the resources made from one event (e.g. "agent/0").</summary>
    public static string Of(Guid eventId, string part)
    {
        var name = Encoding.UTF8.GetBytes(part);
        var input = new byte[16 + name.Length];
        eventId.TryWriteBytes(input, bigEndian: true, out _);
        name.CopyTo(input, 16);
        var hash = SHA256.HashData(input);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // version 8 (custom, here SHA-256 name-based)
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC variant
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString("D");
    }

    /// <summary>The Patient's id when its enrolment fact is absent (never for a stream the API wrote): a name-based UUID of the patient id.</summary>
    public static string OfPatient(string patientId) => Of(Guid.Empty, "patient/" + patientId);

    /// <summary><c>meta.source</c>: the event the resource came from, as a URI.</summary>
    public static string Source(Guid eventId) => "urn:uuid:" + Of(eventId);
}
