namespace SignalRChat.Hub.Auth;

/// <summary>What a user name may be: 1-64 letters, digits, '_', '-' or '.'.</summary>
internal static class UserNames
{
    public const int MaxLength = 64;

    public static string? Problem(string? user) =>
        string.IsNullOrEmpty(user) ? "user is required."
        : user.Length > MaxLength ? $"user is longer than {MaxLength} characters."
        : !user.All(c => char.IsLetterOrDigit(c) || c is '_' or '-' or '.') ? "user may hold only letters, digits, '_', '-' and '.'."
        : null;
}
