using System.Text.Json;
using Orleans.Storage;

namespace SignalRChat.Hub.Storage;

/// <summary>
/// Stores objects' grain state as plain JSON (System.Text.Json): property names and values, no type names. A stored
/// state names no .NET type, so reading it instantiates only the declared state class. State written by earlier
/// versions (Newtonsoft JSON with <c>$type</c>) is still read, through Orleans' default serializer, and rewritten in
/// the new form on the object's next write.
/// </summary>
internal sealed class ObjectStateSerializer(IGrainStorageSerializer earlier) : IGrainStorageSerializer
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    /// <inheritdoc/>
    public BinaryData Serialize<T>(T? input) => new(JsonSerializer.SerializeToUtf8Bytes(input, Json));

    /// <inheritdoc/>
    public T? Deserialize<T>(BinaryData input) =>
        IsEarlierForm(input.ToMemory().Span) ? earlier.Deserialize<T>(input) : JsonSerializer.Deserialize<T>(input.ToMemory().Span, Json);

    /// <summary>Newtonsoft's form with type names starts with reference and type metadata.</summary>
    private static bool IsEarlierForm(ReadOnlySpan<byte> json) =>
        json.StartsWith("{\"$id\":"u8) || json.StartsWith("{\"$type\":"u8);
}
