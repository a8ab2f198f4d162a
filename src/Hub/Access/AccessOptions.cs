using Microsoft.Extensions.Options;
using SignalRChat.Objects.Runtime;

namespace SignalRChat.Hub.Access;

/// <summary>
/// What external clients may do (configuration section <c>Access</c>), by object type:
/// <c>"Access": { "Objects": { "ChatRoom": { "Methods": "Join, Leave, …", "Create": true } } }</c>.
/// A type or method not listed is refused. Methods is one comma-separated string, so a later configuration source
/// (environment, command line) replaces the whole list rather than merging into it index by index.
/// </summary>
public sealed class AccessOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Access";

    /// <summary>The rules, by object type name.</summary>
    public Dictionary<string, ObjectAccessRule> Objects { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>What clients may do with objects of one type.</summary>
public sealed class ObjectAccessRule
{
    /// <summary>The methods clients may call, comma-separated: <c>"Join, Leave"</c>.</summary>
    public string Methods { get; set; } = "";

    /// <summary>Whether clients may create objects of this type with <c>Create</c>.</summary>
    public bool Create { get; set; }

    internal IReadOnlyList<string> MethodNames =>
        Methods.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}

internal sealed class AccessOptionsValidator(ObjectCatalog catalog) : IValidateOptions<AccessOptions>
{
    public ValidateOptionsResult Validate(string? name, AccessOptions options)
    {
        List<string> problems = [];
        foreach (var (type, rule) in options.Objects)
        {
            if (!catalog.TryGetType(type, out var info))
            {
                problems.Add($"Access:Objects:{type} names no object type. Types: {string.Join(", ", catalog.TypeNames)}.");
                continue;
            }
            problems.AddRange(rule.MethodNames.Where(m => !info.HasMethod(m))
                .Select(m => $"Access:Objects:{type}:Methods names '{m}', which {type} does not have. Methods: {string.Join(", ", info.MethodNames)}."));
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
