namespace SignalRChat.Objects.Runtime;

/// <summary>What a user name may be: 1-64 ASCII letters, digits, '_', '-' or '.' (no look-alike letters from other scripts).</summary>
internal static class UserNames
{
    public const int MaxLength = 64;

    /// <returns>Null when <paramref name="user"/> is a valid user name; otherwise what is wrong, naming the field.</returns>
    public static string? Problem(string? user, string field = "user") =>
        string.IsNullOrEmpty(user) ? $"{field} is required."
        : user.Length > MaxLength ? $"{field} is longer than {MaxLength} characters."
        : !user.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.') ? $"{field} may hold only letters, digits, '_', '-' and '.' (ASCII)."
        : null;

    /// <exception cref="ObjectCallException">The name is not valid; the message says why, naming the field.</exception>
    public static void Check(string? user, string field = "user")
    {
        if (Problem(user, field) is { } problem)
        {
            throw new ObjectCallException(problem);
        }
    }
}
