using System.Reflection;
using System.Text.Json;

namespace SignalRChat.Objects.Runtime;

/// <summary>One callable method of an object type: binds JSON args to the method's parameter and invokes it.</summary>
internal sealed class ObjectMethod
{
    private static readonly byte[] EmptyObject = "{}"u8.ToArray();
    private readonly MethodInfo _method;
    private readonly PropertyInfo? _taskResult;

    public ObjectMethod(string typeName, MethodInfo method)
    {
        var parameters = method.GetParameters();
        if (parameters.Length > 1)
        {
            throw new InvalidOperationException($"{typeName}.{method.Name} takes {parameters.Length} parameters; an object method takes none or one argument object.");
        }
        if (!typeof(Task).IsAssignableFrom(method.ReturnType))
        {
            throw new InvalidOperationException($"{typeName}.{method.Name} returns {method.ReturnType.Name}; an object method returns Task or Task<T>.");
        }
        _method = method;
        _taskResult = method.ReturnType.IsGenericType ? method.ReturnType.GetProperty(nameof(Task<object>.Result)) : null;
        TypeName = typeName;
        ArgsType = parameters.Length == 1 ? parameters[0].ParameterType : null;
    }

    public string TypeName { get; }

    public string Name => _method.Name;

    public Type? ArgsType { get; }

    /// <summary>Binds args (UTF-8 JSON, empty for none) to the parameter type.</summary>
    /// <exception cref="ObjectCallException">The args do not fit the parameter type.</exception>
    public object? BindArgs(ReadOnlyMemory<byte> json)
    {
        if (ArgsType is null)
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize(json.IsEmpty || IsJsonNull(json.Span) ? EmptyObject : json.Span, ArgsType, ObjectJson.Options)
                ?? throw new JsonException("args must be an object.");
        }
        catch (JsonException e)
        {
            throw new ObjectCallException(ObjectErrors.InvalidArgs(TypeName, Name, $"{ArgsShape.Problem(e)}. Expected {ArgsShape.Describe(ArgsType)}."));
        }
    }

    public async Task<object?> InvokeAsync(object target, object? args)
    {
        Task task;
        try
        {
            task = (Task)_method.Invoke(target, ArgsType is null ? null : [args])!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
        await task;
        return _taskResult?.GetValue(task);
    }

    private static bool IsJsonNull(ReadOnlySpan<byte> json) => json.Trim(" \t\r\n"u8).SequenceEqual("null"u8);
}
