using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SignalRChat.Hub.Auth;

/// <summary>Signs and describes the tokens hub connections present.</summary>
internal sealed class TokenIssuer(IOptions<AuthOptions> options, TimeProvider time)
{
    /// <summary>The claim the user name travels in.</summary>
    public const string UserClaim = "name";

    /// <summary>The claim roles travel in; <c>admin</c> opens the <c>/admin</c> endpoints.</summary>
    public const string RoleClaim = "role";

    /// <summary>The role of operators.</summary>
    public const string AdminRole = "admin";

    private readonly AuthOptions _options = options.Value;

    public SymmetricSecurityKey Key => new(Encoding.UTF8.GetBytes(_options.SigningKey));

    public TokenValidationParameters ValidationParameters => new()
    {
        ValidIssuer = _options.Issuer,
        ValidAudience = _options.Audience,
        IssuerSigningKey = Key,
        NameClaimType = UserClaim,
        RoleClaimType = RoleClaim,
        ClockSkew = TimeSpan.FromMinutes(1),
    };

    public string Issue(string user)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _options.Issuer,
            Audience = _options.Audience,
            // A token ID, so that one token can be revoked (Revocations).
            Subject = new ClaimsIdentity([
                new Claim("sub", user), new Claim(UserClaim, user), new Claim("jti", Guid.NewGuid().ToString("N")),
                .. _options.IsDevelopmentAdmin(user) ? [new Claim(RoleClaim, AdminRole)] : Array.Empty<Claim>()]),
            NotBefore = now,
            IssuedAt = now,
            Expires = now + _options.TokenLifetime,
            SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256),
        });
    }
}
