using System.Text.Json;
using System.Text.Json.Serialization;

namespace SignalRChat.Objects.Runtime;

/// <summary>The JSON settings objects' arguments and results use on the wire: camelCase, strict about unknown and missing members.</summary>
public static class ObjectJson
{
    /// <summary>Shared, read-only serializer options.</summary>
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
