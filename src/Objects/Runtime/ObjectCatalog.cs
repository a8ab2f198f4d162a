using System.Reflection;

namespace SignalRChat.Objects.Runtime;

/// <summary>The registered object types, found by their <see cref="ObjectTypeAttribute"/>.</summary>
public sealed class ObjectCatalog
{
    private readonly Dictionary<string, ObjectTypeInfo> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, ObjectTypeInfo> _byClass = [];

    /// <summary>Registers every object class in the given assemblies.</summary>
    public ObjectCatalog(IEnumerable<Assembly> assemblies)
    {
        ArgumentNullException.ThrowIfNull(assemblies);
        foreach (var type in assemblies.SelectMany(a => a.GetTypes()))
        {
            if (type.GetCustomAttribute<ObjectTypeAttribute>() is not { } attribute)
            {
                continue;
            }
            if (type.IsAbstract || !typeof(ObjectGrain).IsAssignableFrom(type))
            {
                throw new InvalidOperationException($"{type.FullName} has [ObjectType] but is not a concrete {nameof(ObjectGrain)}.");
            }
            if (_byName.ContainsKey(attribute.Name))
            {
                throw new InvalidOperationException($"Object type '{attribute.Name}' is declared twice.");
            }
            var info = new ObjectTypeInfo(attribute.Name, type);
            _byName.Add(info.Name, info);
            _byClass.Add(type, info);
        }
    }

    /// <summary>The catalog of this assembly's objects (ChatRoom and the others shipped with the product).</summary>
    public static ObjectCatalog Default { get; } = new([typeof(ObjectCatalog).Assembly]);

    /// <summary>The registered type names, sorted.</summary>
    public IReadOnlyCollection<string> TypeNames => [.. _byName.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Finds a type by name.</summary>
    public bool TryGetType(string name, out ObjectTypeInfo info) => _byName.TryGetValue(name, out info!);

    /// <summary>Finds a type by name.</summary>
    /// <exception cref="ObjectCallException">No type has this name.</exception>
    public ObjectTypeInfo GetType(string name) =>
        TryGetType(name, out var info) ? info : throw new ObjectCallException(ObjectErrors.UnknownType(name, TypeNames));

    internal ObjectTypeInfo ForClass(Type objectClass) => _byClass[objectClass];
}
