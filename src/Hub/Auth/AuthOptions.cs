using Microsoft.Extensions.Options;

namespace SignalRChat.Hub.Auth;

/// <summary>JWT bearer authentication of hub connections (configuration section <c>Auth</c>).</summary>
public sealed class AuthOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Auth";

    /// <summary>Shortest signing key accepted: HMAC-SHA256 needs 256 bits.</summary>
    public const int MinSigningKeyLength = 32;

    /// <summary>Whether <c>POST /auth/token</c> hands a token to anyone who names a user. For development only.</summary>
    public bool DevelopmentLogin { get; set; }

    /// <summary>The HMAC-SHA256 key tokens are signed and checked with; at least 32 characters. Keep it secret.</summary>
    public string SigningKey { get; set; } = "";

    /// <summary>The token issuer.</summary>
    public string Issuer { get; set; } = "signalrchat";

    /// <summary>The token audience.</summary>
    public string Audience { get; set; } = "signalrchat";

    /// <summary>How long a development token is valid.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>User names the development login issues admin tokens for (a <c>role</c> claim of <c>admin</c>),
    /// comma-separated; empty by default. Admin tokens open the <c>/admin</c> endpoints.</summary>
    public string DevelopmentAdmins { get; set; } = "";

    internal bool IsDevelopmentAdmin(string user) =>
        DevelopmentAdmins.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Contains(user, StringComparer.Ordinal);
}

internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        List<string> problems = [];
        if ((options.SigningKey?.Length ?? 0) < AuthOptions.MinSigningKeyLength)
        {
            problems.Add($"Auth:SigningKey must be at least {AuthOptions.MinSigningKeyLength} characters: it signs and checks the JWT bearer tokens. Set it in configuration or the environment (Auth__SigningKey).");
        }
        if (options.TokenLifetime <= TimeSpan.Zero)
        {
            problems.Add($"Auth:TokenLifetime must be positive; it is {options.TokenLifetime}.");
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
