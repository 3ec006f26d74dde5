using System.Text.Json;
using System.Text.Json.Serialization;

namespace Timeline.Hosting;

/// <summary>
/// Enumerations in request bodies as their names only. System.Text.Json's string converter also reads
/// "female,male" (the two values OR-ed together: male) and numeric strings ("1"), which would record a value
/// nobody typed; here those are a 400 like any other unknown value. Names stay case-insensitive ("cr" is CR).
/// </summary>
public sealed class StrictEnums(JsonNamingPolicy naming) : JsonConverterFactory
{
    readonly JsonStringEnumConverter inner = new(naming, allowIntegerValues: false);

    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Strict<>).MakeGenericType(typeToConvert), inner.CreateConverter(typeToConvert, options))!;

    sealed class Strict<T>(JsonConverter inner) : JsonConverter<T> where T : struct, Enum
    {
        readonly JsonConverter<T> names = (JsonConverter<T>)inner;

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            if (string.IsNullOrEmpty(text) || !char.IsLetter(text[0]) || !text.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
                throw new JsonException($"Not a value of {typeof(T).Name}.");
            return names.Read(ref reader, typeToConvert, options);
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => names.Write(writer, value, options);
    }
}
