using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SignalRChat.Objects.Runtime;

/// <summary>Describes an args type to a caller (<c>{text: string, limit?: integer}</c>) and words binding errors in those terms.</summary>
internal static partial class ArgsShape
{
    public static string Describe(Type argsType)
    {
        var optional = argsType.GetConstructors().SelectMany(c => c.GetParameters())
            .Where(p => p.HasDefaultValue).Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var fields = argsType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0)
            .Select(p => $"{JsonNamingPolicy.CamelCase.ConvertName(p.Name)}{(optional.Contains(p.Name) ? "?" : "")}: {JsonType(p.PropertyType)}");
        return $"{{{string.Join(", ", fields)}}}";
    }

    /// <summary>What was wrong, from a System.Text.Json error, without .NET type names.</summary>
    public static string Problem(JsonException error)
    {
        // System.Text.Json quotes the type name and the field name; the field comes last when it is missing, first when unknown.
        var quoted = Quoted().Matches(error.Message);
        if (error.Message.Contains("missing required properties", StringComparison.Ordinal) && quoted.Count > 0)
        {
            return $"'{quoted[^1].Groups[1].Value}' is missing";
        }
        if (error.Message.Contains("could not be mapped", StringComparison.Ordinal) && quoted.Count > 0)
        {
            return $"'{quoted[0].Groups[1].Value}' is not a known field";
        }
        if (error.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal))
        {
            return $"'{path[2..]}' has the wrong type";
        }
        return "args must be an object";
    }

    private static string JsonType(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type == typeof(string) ? "string"
            : type == typeof(bool) ? "boolean"
            : type.IsPrimitive && type != typeof(float) && type != typeof(double) && type != typeof(char) ? "integer"
            : type == typeof(float) || type == typeof(double) || type == typeof(decimal) ? "number"
            : type.IsArray || (type.IsGenericType && typeof(System.Collections.IEnumerable).IsAssignableFrom(type)) ? "array"
            : "object";
    }

    [GeneratedRegex("'([^']*)'")]
    private static partial Regex Quoted();
}
