using Orleans.Metadata;
using Orleans.Runtime;

namespace SignalRChat.Objects.Runtime;

/// <summary>
/// Names an object type (the <c>Type</c> of <c>Type-key</c>). Put it on a class deriving from <see cref="ObjectGrain"/>;
/// the name is also the Orleans grain type, so each object ID maps to exactly one grain.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ObjectTypeAttribute : Attribute, IGrainTypeProviderAttribute
{
    /// <summary>Names the object type.</summary>
    public ObjectTypeAttribute(string name)
    {
        if (!ObjectId.IsTypeName(name))
        {
            throw new ArgumentException($"Object type name '{name}' must start with a letter and hold only letters and digits.", nameof(name));
        }
        Name = name;
    }

    /// <summary>The type name, for example <c>ChatRoom</c>.</summary>
    public string Name { get; }

    /// <inheritdoc/>
    public GrainType GetGrainType(IServiceProvider services, Type type) => GrainType.Create(Name);
}
