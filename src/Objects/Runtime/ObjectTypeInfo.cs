using System.Reflection;

namespace SignalRChat.Objects.Runtime;

/// <summary>A registered object type: its name, class, callable methods and optional create method.</summary>
public sealed class ObjectTypeInfo
{
    private readonly Dictionary<string, ObjectMethod> _methods;

    internal ObjectTypeInfo(string name, Type objectClass)
    {
        Name = name;
        Class = objectClass;
        var candidates = objectClass.GetMethods(BindingFlags.Public | BindingFlags.Instance);
        var methods = candidates.Where(m => m.IsDefined(typeof(ObjectMethodAttribute))).Select(m => new ObjectMethod(name, m)).ToList();
        if (methods.GroupBy(m => m.Name).FirstOrDefault(g => g.Count() > 1) is { } overloaded)
        {
            throw new InvalidOperationException($"{name} declares {overloaded.Key} more than once; object methods are called by name and cannot be overloaded.");
        }
        _methods = methods.ToDictionary(m => m.Name, StringComparer.Ordinal);
        MethodNames = methods.Select(m => m.Name).ToList();
        var creates = candidates.Where(m => m.IsDefined(typeof(ObjectCreateAttribute))).ToList();
        if (creates.Count > 1)
        {
            throw new InvalidOperationException($"{name} has {creates.Count} [ObjectCreate] methods; at most one is allowed.");
        }
        CreateMethod = creates.Count == 1 ? new ObjectMethod(name, creates[0]) : null;
    }

    /// <summary>The type name, for example <c>ChatRoom</c>.</summary>
    public string Name { get; }

    /// <summary>The grain class that implements the type.</summary>
    public Type Class { get; }

    /// <summary>The callable method names, in declaration order.</summary>
    public IReadOnlyList<string> MethodNames { get; }

    internal ObjectMethod? CreateMethod { get; }

    /// <summary>Whether the type has a callable method of this name (case-sensitive).</summary>
    public bool HasMethod(string method) => _methods.ContainsKey(method);

    /// <exception cref="ObjectCallException">The type has no such method.</exception>
    internal ObjectMethod GetMethod(string method) =>
        _methods.TryGetValue(method, out var found) ? found : throw new ObjectCallException(ObjectErrors.UnknownMethod(Name, method, MethodNames));
}
