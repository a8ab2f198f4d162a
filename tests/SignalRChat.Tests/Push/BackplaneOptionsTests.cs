using Microsoft.Extensions.Options;
using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Push;

/// <summary>A bad backplane setting stops the start, with a message that names it and never echoes a password.</summary>
public sealed class BackplaneOptionsTests
{
    [Theory]
    [InlineData("OutboxCapacity", "Cluster backplane: OutboxCapacity must be at least 1; it is 0.")]
    [InlineData("SlowClientBufferBytes", "Cluster backplane: SlowClientBufferBytes must be at least 1024; it is 10.")]
    [InlineData("InstanceId", "Cluster backplane: InstanceId 'a/b' must be 1-64 letters, digits, '-', '_', '.' or ':'.")]
    [InlineData("ChannelPrefix", "Cluster backplane: ChannelPrefix must not be empty.")]
    [InlineData("Configuration", "Cluster backplane: Configuration is not a valid Redis connection string")]
    public async Task ABadSetting_StopsTheStart_NamingIt(string setting, string message)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => BackplaneServer.StartAsync(null, options =>
        {
            switch (setting)
            {
                case "OutboxCapacity": options.OutboxCapacity = 0; break;
                case "SlowClientBufferBytes": options.SlowClientBufferBytes = 10; break;
                case "InstanceId": options.InstanceId = "a/b"; break;
                case "ChannelPrefix": options.ChannelPrefix = " "; break;
                case "Configuration": options.Configuration = "127.0.0.1:6379,password=hunter2,nonsense=1"; break;
            }
        }));

        Assert.Contains(message, error.Message);
        Assert.DoesNotContain("hunter2", error.Message);
    }
}
