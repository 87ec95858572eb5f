using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOps.Diff.Json;

/// <summary>
/// A canonical text for a JSON tree (keys sorted, integral numbers as integers) and its hash.
/// Two trees that <see cref="JsonEquality"/> calls equal hash the same; the agent stores hashes
/// on its inventory so a no-op pass can skip the dry-run of objects that did not move.
/// </summary>
public static class CanonicalJson
{
    public static string Hash(JsonNode? node) => Convert.ToHexStringLower(SHA256.HashData(Utf8(node)).AsSpan(0, 16));

    public static string Text(JsonNode? node) => Encoding.UTF8.GetString(Utf8(node));

    private static byte[] Utf8(JsonNode? node)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            Write(writer, node);
        }

        return stream.ToArray();
    }

    private static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    Write(writer, value);
                }

                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValue value:
                WriteValue(writer, value);
                break;
        }
    }

    private static void WriteValue(Utf8JsonWriter writer, JsonValue value)
    {
        if (value.GetValueKind() != JsonValueKind.Number)
        {
            value.WriteTo(writer);
        }
        else if (value.TryGetValue<long>(out var l))
        {
            writer.WriteNumberValue(l);
        }
        else
        {
            // Written the way JsonEquality compares: a double that is exactly an int64 as that int64.
            var d = JsonEquality.AsDouble(value);
            if (JsonEquality.ExactInt64(d) is { } exact)
            {
                writer.WriteNumberValue(exact);
            }
            else
            {
                writer.WriteNumberValue(d);
            }
        }
    }
}
