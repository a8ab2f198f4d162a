namespace SignalRChat.Hub.Auth;

/// <summary>What a user name may be: 1-64 ASCII letters, digits, '_', '-' or '.' (no look-alike letters from other scripts).</summary>
internal static class UserNames
{
    public const int MaxLength = 64;

    public static string? Problem(string? user) =>
        string.IsNullOrEmpty(user) ? "user is required."
        : user.Length > MaxLength ? $"user is longer than {MaxLength} characters."
        : !user.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.') ? "user may hold only letters, digits, '_', '-' and '.' (ASCII)."
        : null;
}
