using System.Text.Encodings.Web;
using System.Text.Json;
using Hl7.Fhir.Serialization;
using R4 = Hl7.Fhir.Model;

namespace Timeline.Exchange.Fhir;

/// <summary>
/// FHIR JSON as the Firely SDK writes it: elements in the order the specification defines, compact, UTF-8, so the
/// same resource gives the same bytes. NDJSON (FHIR Bulk Data) is one such resource per line, each line ending in "\n".
/// </summary>
public static class FhirJson
{
    public const string MediaType = "application/fhir+json";

    // Only JSON's own escapes: the files are data, never embedded in a page, so "+" and "'" stay as they are (readable).
    static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    static readonly BaseFhirJsonSerializer Serializer = new(R4.ModelInfo.ModelInspector);

    public static byte[] Bytes(R4.Resource resource)
    {
        var buffer = new MemoryStream();
        Write(resource, buffer);
        return buffer.ToArray();
    }

    /// <summary>Writes one resource, compact, without a line end.</summary>
    public static void Write(R4.Resource resource, Stream output)
    {
        using var writer = new Utf8JsonWriter(output, Options);
        Serializer.Serialize(resource, writer);
        writer.Flush();
    }
}
