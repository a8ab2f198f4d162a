using System.Security.Cryptography;

namespace SignalRChat.Load.Cluster;

/// <summary>
/// The secrets of a cluster this tool (or the tests) starts, made fresh for each run: the token signing key, the
/// cluster secret and the Redis passwords. Nothing here is a known value that a deployment could copy.
/// </summary>
internal static class LocalSecrets
{
    /// <summary>The key development-login tokens are signed with (<c>Auth:SigningKey</c>).</summary>
    public static string SigningKey { get; } = Random();

    /// <summary>The secret our processes put on object calls (<c>Cluster:Secret</c>).</summary>
    public static string ClusterSecret { get; } = Random();

    /// <summary>The Redis ACL user the hub processes connect as: every command but the administrative ones.</summary>
    public const string RedisUser = "signalrchat";

    /// <summary>The password of <see cref="RedisUser"/>.</summary>
    public static string RedisPassword { get; } = Random();

    /// <summary>The password of Redis' <c>default</c> user, kept for the tool's own administrative commands.</summary>
    public static string RedisAdminPassword { get; } = Random();

    /// <summary>The settings a hub process needs, as environment variables (not on the command line, where any local
    /// user could read them).</summary>
    public static IReadOnlyDictionary<string, string> HubEnvironment { get; } = new Dictionary<string, string>
    {
        ["Auth__SigningKey"] = SigningKey,
        ["Cluster__Secret"] = ClusterSecret,
    };

    /// <summary>
    /// Writes a Redis ACL file into <paramref name="folder"/> and returns its path: the <c>default</c> user (the tool's
    /// administrative connection) and the application's user with the rules of <c>redis/app-user.acl</c>, as
    /// <c>run.sh</c> does. A file, so that no password is on a command line.
    /// </summary>
    public static string WriteRedisAclFile(string folder)
    {
        var rules = File.ReadAllText(Path.Combine(Paths.Root, "redis", "app-user.acl")).Trim();
        var path = Path.Combine(folder, "users.acl");
        File.WriteAllLines(path,
        [
            $"user default on >{RedisAdminPassword} ~* &* +@all",
            $"user {RedisUser} on >{RedisPassword} {rules}",
        ]);
        return path;
    }

    /// <summary>The connection string of the hub processes to a Redis on <paramref name="port"/>.</summary>
    public static string RedisConnectionString(int port) => $"127.0.0.1:{port},user={RedisUser},password={RedisPassword}";

    /// <summary>The connection string of the tool's own administrative connection.</summary>
    public static string RedisAdminConnectionString(int port) => $"127.0.0.1:{port},password={RedisAdminPassword},allowAdmin=true,connectTimeout=1000";

    private static string Random() => Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
}
