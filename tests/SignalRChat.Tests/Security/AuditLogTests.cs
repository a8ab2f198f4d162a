using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Security;

/// <summary>The audit log: its own category, one structured line per join, moderation and administrator's action.</summary>
public sealed class AuditLogTests
{
    [Fact]
    public async Task JoinsModerationAndRevocations_AreWrittenToTheAuditCategory()
    {
        var audit = new CapturedLogs("SignalRChat.Audit");
        await using var instance = await HubInstance.StartAsync(null, audit, "Auth:DevelopmentAdmins=root", "Logging:LogLevel:SignalRChat.Audit=Information");
        await using var alice = await TestClient.ConnectAsync(instance, "alice");
        await using var bob = await TestClient.ConnectAsync(instance, "bob");
        await alice.CreateAsync("ChatRoom", "ChatRoom-audited");
        await alice.CallAsync("ChatRoom-audited", "Join");
        await bob.CallAsync("ChatRoom-audited", "Join");
        await alice.CallAsync("ChatRoom-audited", "Ban", new { user = "bob", reason = "spam" });
        await HubHttp.AdminPostAsync(instance.Url, "/admin/users/bob/revoke");

        await Eventually.TrueAsync(() => audit.Lines.Count >= 4, "four audit lines");
        var lines = audit.Lines.Select(l => l.Message).ToList();
        Assert.Contains("alice joined ChatRoom-audited.", lines);
        Assert.Contains("bob joined ChatRoom-audited.", lines);
        Assert.Contains("alice banned bob from ChatRoom-audited until lifted: spam", lines);
        Assert.Contains(lines, l => l.StartsWith("root revoked every token of bob issued until now; closed ", StringComparison.Ordinal));
        Assert.All(audit.Lines, l => Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Information, l.Level));
    }
}
