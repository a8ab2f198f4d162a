namespace SignalRChat.Push;

/// <summary>
/// Sets the <see cref="PushPriority"/> of the sends made in a scope, through any hub context or hub
/// (<c>Clients.*.SendAsync</c>), with the cluster backplane:
/// <code>
/// using (PushPriorities.Use(PushPriority.Presence, subject: user))
/// {
///     await hub.Clients.Users(followers).SendAsync("PresenceChanged", presence);
/// }
/// </code>
/// The scope flows with the async call; sends outside any scope are <see cref="PushPriority.Chat"/>.
/// </summary>
public static class PushPriorities
{
    private static readonly AsyncLocal<PushClass?> s_current = new();

    /// <summary>The class of sends made outside any scope.</summary>
    internal static readonly PushClass Default = new(PushPriority.Chat, "");

    /// <summary>The class of the sends made now.</summary>
    internal static PushClass Current => s_current.Value ?? Default;

    /// <summary>Makes the sends until the returned scope is disposed of class <paramref name="priority"/>.</summary>
    /// <param name="priority">The class.</param>
    /// <param name="subject">
    /// For <see cref="PushPriority.Presence"/>: what the state is about (a user's name, a zone), so that a newer send
    /// about the same subject, with the same method, to the same recipients replaces this one while it waits in a
    /// queue. Null or empty: never replaced. Ignored for the other classes.
    /// </param>
    /// <returns>Dispose of it to restore the class around the scope.</returns>
    public static IDisposable Use(PushPriority priority, string? subject = null)
    {
        if (!Enum.IsDefined(priority))
        {
            throw new ArgumentOutOfRangeException(nameof(priority), priority, "Not a push priority: System, Chat or Presence.");
        }
        var scope = new Scope(s_current.Value);
        s_current.Value = new PushClass(priority, priority == PushPriority.Presence ? subject ?? "" : "");
        return scope;
    }

    private sealed class Scope(PushClass? previous) : IDisposable
    {
        public void Dispose() => s_current.Value = previous;
    }
}

/// <summary>A send's priority, and for presence the subject it may be replaced by (empty: never).</summary>
internal readonly record struct PushClass(PushPriority Priority, string Subject)
{
    /// <summary>The key of queued sends that replace each other: the method and the subject; null when none does.</summary>
    public string? ReplacementKey(string method) => Subject.Length == 0 ? null : string.Concat(method, "\n", Subject);
}
