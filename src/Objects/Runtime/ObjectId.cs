namespace SignalRChat.Objects.Runtime;

/// <summary>
/// The address of an object: <c>Type-key</c>, for example <c>ChatRoom-general</c>. The part before the first
/// <c>-</c> names a registered object type; the rest is the key. One activation per ID exists in the whole cluster.
/// </summary>
public readonly record struct ObjectId
{
    /// <summary>The longest object ID accepted, in characters.</summary>
    public const int MaxLength = 256;

    private ObjectId(string type, string key)
    {
        Type = type;
        Key = key;
    }

    /// <summary>The object type, for example <c>ChatRoom</c>.</summary>
    public string Type { get; }

    /// <summary>The key within the type, for example <c>general</c>.</summary>
    public string Key { get; }

    /// <summary>Creates an ID from its parts, validating both.</summary>
    /// <exception cref="ObjectCallException">The type or key is not valid.</exception>
    public static ObjectId Create(string type, string key) => Parse($"{type}-{key}");

    /// <summary>Parses <c>Type-key</c>.</summary>
    /// <exception cref="ObjectCallException">The text is not a valid object ID.</exception>
    public static ObjectId Parse(string? text) =>
        TryParse(text, out var id, out var problem) ? id : throw new ObjectCallException(ObjectErrors.InvalidObjectId(text, problem));

    /// <summary>Parses <c>Type-key</c>, saying what is wrong when it fails.</summary>
    public static bool TryParse(string? text, out ObjectId id, out string problem)
    {
        id = default;
        if (string.IsNullOrEmpty(text))
        {
            problem = "it is empty";
            return false;
        }
        if (text.Length > MaxLength)
        {
            problem = $"it is longer than {MaxLength} characters";
            return false;
        }
        var dash = text.IndexOf('-');
        if (dash <= 0 || dash == text.Length - 1)
        {
            problem = "it needs a type and a key separated by '-'";
            return false;
        }
        var type = text[..dash];
        if (!IsTypeName(type))
        {
            problem = "the type must start with a letter and hold only letters and digits";
            return false;
        }
        var key = text[(dash + 1)..];
        if (key.Any(char.IsControl) || key.Contains('/'))
        {
            problem = "the key must not hold control characters or '/'";
            return false;
        }
        if (key.Trim().Length != key.Length)
        {
            problem = "the key must not start or end with white space";
            return false;
        }
        if (key.Any(TextRules.IsBidiControl) || TextRules.HasUnpairedSurrogate(key))
        {
            problem = "the key must be valid Unicode without bidirectional formatting characters";
            return false;
        }
        id = new ObjectId(type, key);
        problem = "";
        return true;
    }

    /// <summary>Whether <paramref name="name"/> can name an object type.</summary>
    public static bool IsTypeName(string? name) =>
        !string.IsNullOrEmpty(name) && char.IsAsciiLetter(name[0]) && name.All(char.IsAsciiLetterOrDigit);

    /// <inheritdoc/>
    public override string ToString() => $"{Type}-{Key}";

    /// <summary>The Orleans grain this ID addresses.</summary>
    internal GrainId ToGrainId() => GrainId.Create(Type, Key);
}
