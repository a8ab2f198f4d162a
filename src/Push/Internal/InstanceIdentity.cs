using System.Security.Cryptography;

namespace SignalRChat.Push.Internal;

/// <summary>This process's hub instance ID: the first part of every client ID it hands out.</summary>
internal sealed class InstanceIdentity(string id)
{
    public string Id { get; } = id;

    /// <summary>A fresh ID, unique per process start.</summary>
    public static InstanceIdentity Generate() => new($"hub-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5))}");
}
