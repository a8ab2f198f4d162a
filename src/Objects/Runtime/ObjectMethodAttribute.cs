namespace SignalRChat.Objects.Runtime;

/// <summary>
/// Marks a public method of an object as callable through <c>CallObject</c>. The method takes no parameter or one
/// argument object (bound from JSON or MessagePack args) and returns <see cref="Task"/> or <see cref="Task{TResult}"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class ObjectMethodAttribute : Attribute;

/// <summary>
/// Marks the method <c>CreateObject</c> runs on a new object, with the same shape as an <see cref="ObjectMethodAttribute"/> method.
/// At most one per object type.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class ObjectCreateAttribute : Attribute;
