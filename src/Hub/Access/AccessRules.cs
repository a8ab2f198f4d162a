using Microsoft.Extensions.Options;

namespace SignalRChat.Hub.Access;

/// <summary>Decides whether an external client may call a method or create an object; refusals name what was refused.</summary>
internal sealed class AccessRules(IOptions<AccessOptions> options)
{
    private readonly Dictionary<string, HashSet<string>> _methods = options.Value.Objects.ToDictionary(
        rule => rule.Key, rule => rule.Value.MethodNames.ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);

    private readonly HashSet<string> _creatable = options.Value.Objects.Where(rule => rule.Value.Create).Select(rule => rule.Key).ToHashSet(StringComparer.Ordinal);

    /// <returns>Null when allowed; otherwise the refusal text.</returns>
    public string? RefuseCall(string type, string method) =>
        _methods.TryGetValue(type, out var methods) && methods.Contains(method) ? null : $"Clients may not call {type}.{method}.";

    /// <returns>Null when allowed; otherwise the refusal text.</returns>
    public string? RefuseCreate(string type) =>
        _creatable.Contains(type) ? null : $"Clients may not create {type} objects.";

    /// <summary>The effective rules, one line per type, for the start-up log.</summary>
    public IEnumerable<string> Describe() =>
        _methods.Select(rule => $"{rule.Key}: call {string.Join(", ", rule.Value.Order(StringComparer.Ordinal))}; create {(_creatable.Contains(rule.Key) ? "yes" : "no")}");
}
