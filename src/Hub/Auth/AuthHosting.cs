using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using SignalRChat.Objects.Runtime;

namespace SignalRChat.Hub.Auth;

/// <summary>Registers JWT bearer authentication for the hub and maps the development login.</summary>
internal static class AuthHosting
{
    private const string HubPath = "/hub";
    private const string RoleClaim = TokenIssuer.RoleClaim;

    /// <summary>The authorization policy of the <c>/admin</c> endpoints: a valid token with a <c>role</c> claim of <c>admin</c>.</summary>
    public const string AdminPolicy = "admin";

    /// <summary>The claims a connection's principal keeps: the user name, roles, the token's ID and when it was issued.</summary>
    private static readonly HashSet<string> KeptClaims = [TokenIssuer.UserClaim, RoleClaim, "jti", "iat"];

    public static IServiceCollection AddHubAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<Revocations>();
        services.AddHostedService(sp => sp.GetRequiredService<Revocations>());
        services.AddSingleton<IUserIdProvider, UserNameIdProvider>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<TokenIssuer>((jwt, issuer) =>
        {
            jwt.MapInboundClaims = false;
            jwt.TokenValidationParameters = issuer.ValidationParameters;
            // Kept with the request's authentication (GetTokenAsync("access_token")): a negotiate redirect hands it on.
            jwt.SaveToken = true;
            jwt.Events = new JwtBearerEvents
            {
                // WebSockets and server-sent events cannot send headers from browsers: SignalR clients put the token in the query.
                OnMessageReceived = context =>
                {
                    if (context.Request.Path.StartsWithSegments(HubPath) && context.Request.Query["access_token"] is { Count: > 0 } token)
                    {
                        context.Token = token;
                    }
                    return Task.CompletedTask;
                },
                // Tokens may come from another issuer than the development login: hold them to the same user-name rule.
                OnTokenValidated = context =>
                {
                    if (UserNames.Problem(context.Principal?.FindFirst(TokenIssuer.UserClaim)?.Value) is { } problem)
                    {
                        context.Fail($"The token's {TokenIssuer.UserClaim} claim is not a valid user name: {problem}");
                        return Task.CompletedTask;
                    }
                    // A connection keeps its principal as long as it lives: keep the claims the hub reads, not the parsed token.
                    context.Principal = new ClaimsPrincipal(new ClaimsIdentity(
                        context.Principal!.Claims.Where(c => KeptClaims.Contains(c.Type)).Select(c => new Claim(c.Type, c.Value)),
                        context.Scheme.Name, TokenIssuer.UserClaim, RoleClaim));
                    if (context.HttpContext.RequestServices.GetRequiredService<Revocations>().IsRevoked(context.Principal))
                    {
                        context.Fail("The token was revoked.");
                    }
                    return Task.CompletedTask;
                },
            };
        });
        services.AddAuthorizationBuilder().AddPolicy(AdminPolicy, policy => policy.RequireRole(TokenIssuer.AdminRole));
        return services;
    }

    /// <summary>Maps <c>POST /auth/token</c> with body <c>{"user":"alice"}</c>, answering <c>{"token":"…"}</c>, when enabled;
    /// pages of the cluster's origins may call it (<paramref name="corsPolicy"/>).</summary>
    public static void MapDevelopmentLogin(this WebApplication app, string corsPolicy)
    {
        if (!app.Services.GetRequiredService<IOptions<AuthOptions>>().Value.DevelopmentLogin)
        {
            return;
        }
        app.MapPost("/auth/token", (LoginRequest? request, TokenIssuer issuer) =>
            UserNames.Problem(request?.User) is { } problem
                ? Results.BadRequest(new LoginError(problem))
                : Results.Ok(new LoginResponse(issuer.Issue(request!.User!)))).RequireCors(corsPolicy);
    }

    internal sealed record LoginRequest(string? User);

    internal sealed record LoginResponse(string Token);

    internal sealed record LoginError(string Error);
}
