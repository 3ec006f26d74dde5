using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Timeline.Hosting;

/// <summary>
/// The OpenAPI document lists each enumeration's values as the API reads and writes them (camelCase, RECIST
/// categories in capitals): <see cref="StrictEnums"/> is a converter factory the document generator cannot see
/// through, so without this an enumeration's schema is empty, and the patient page's forms build their
/// drop-downs from these values.
/// </summary>
public static class EnumSchemas
{
    static readonly JsonSerializerOptions Json = Options();

    static JsonSerializerOptions Options()
    {
        var json = new JsonSerializerOptions();
        TimelineServices.ConfigureJson(json);
        return json;
    }

    public static Task Describe(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
        if (!type.IsEnum) return Task.CompletedTask;
        schema.Type = JsonSchemaType.String;
        schema.Enum = Enum.GetValues(type).Cast<object>()
            .Select(v => (JsonNode)JsonValue.Create(JsonSerializer.Serialize(v, type, Json).Trim('"'))!)
            .ToList();
        return Task.CompletedTask;
    }
}
