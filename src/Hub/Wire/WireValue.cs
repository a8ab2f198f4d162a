using System.Collections;
using System.Text.Json;
using SignalRChat.Objects.Runtime;

namespace SignalRChat.Hub.Wire;

/// <summary>
/// Converts between what a hub protocol hands over and the JSON objects use. Values sent to clients become plain
/// dictionaries, lists and primitives with camelCase keys, so JSON and MessagePack clients see the same field names.
/// </summary>
internal static class WireValue
{
    /// <summary>A value to send to clients, as a plain object graph.</summary>
    public static object? From(object? value) => value switch
    {
        null => null,
        JsonElement element => FromElement(element),
        _ => FromElement(JsonSerializer.SerializeToElement(value, ObjectJson.Options)),
    };

    /// <summary>UTF-8 JSON from an object, as a plain object graph.</summary>
    public static object? FromJson(byte[]? json)
    {
        if (json is null || json.Length == 0)
        {
            return null;
        }
        using var document = JsonDocument.Parse(json);
        return FromElement(document.RootElement);
    }

    /// <summary>
    /// A hub argument as UTF-8 JSON: a <see cref="JsonElement"/> from the JSON protocol, or the maps, arrays and
    /// primitives the MessagePack protocol produces. Empty for null.
    /// </summary>
    /// <exception cref="FormatException">The value holds something JSON cannot carry.</exception>
    public static byte[] ToJson(object? argument)
    {
        if (argument is null || argument is JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined })
        {
            return [];
        }
        if (argument is JsonElement element)
        {
            return JsonSerializer.SerializeToUtf8Bytes(element);
        }
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, argument, depth: 0);
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static object? FromElement(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => p.Name, p => FromElement(p.Value), StringComparer.Ordinal),
        JsonValueKind.Array => element.EnumerateArray().Select(FromElement).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var integer) ? (object)integer : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static void Write(Utf8JsonWriter writer, object? value, int depth)
    {
        if (depth > 64)
        {
            throw new FormatException("args are nested more than 64 levels deep.");
        }
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string s: writer.WriteStringValue(s); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case byte[] bytes: writer.WriteBase64StringValue(bytes); break;
            case float or double or decimal:
                var number = Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
                writer.WriteNumberValue(double.IsFinite(number) ? number : throw new FormatException($"args hold {number.ToString(System.Globalization.CultureInfo.InvariantCulture)}, which has no JSON form."));
                break;
            case ulong u: writer.WriteNumberValue(u); break;
            case sbyte or byte or short or ushort or int or uint or long: writer.WriteNumberValue(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)); break;
            case IDictionary map:
                writer.WriteStartObject();
                foreach (DictionaryEntry entry in map)
                {
                    writer.WritePropertyName(entry.Key as string ?? throw new FormatException($"args map keys must be strings; found {entry.Key.GetType().Name}."));
                    Write(writer, entry.Value, depth + 1);
                }
                writer.WriteEndObject();
                break;
            case IEnumerable items:
                writer.WriteStartArray();
                foreach (var item in items)
                {
                    Write(writer, item, depth + 1);
                }
                writer.WriteEndArray();
                break;
            default: throw new FormatException($"args hold a {value.GetType().Name}, which has no JSON form.");
        }
    }
}
