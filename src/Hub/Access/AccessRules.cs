using Microsoft.Extensions.Options;

namespace SignalRChat.Hub.Access;

/// <summary>Decides whether an external client may call a method or create an object; refusals name what was refused.</summary>
internal sealed class AccessRules(IOptions<AccessOptions> options)
{
    private readonly Dictionary<string, ObjectAccessRule> _rules = new(options.Value.Objects, StringComparer.Ordinal);

    /// <returns>Null when allowed; otherwise the refusal text.</returns>
    public string? RefuseCall(string type, string method) =>
        _rules.TryGetValue(type, out var rule) && rule.Methods.Contains(method, StringComparer.Ordinal)
            ? null
            : $"Clients may not call {type}.{method}.";

    /// <returns>Null when allowed; otherwise the refusal text.</returns>
    public string? RefuseCreate(string type) =>
        _rules.TryGetValue(type, out var rule) && rule.Create ? null : $"Clients may not create {type} objects.";
}
