using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Integration;

public sealed class RestartTests
{
    [Fact]
    public async Task History_SurvivesARestartOfEveryInstance()
    {
        await using var cluster = await ClusterFixture.StartAsync();
        {
            const string room = "ChatRoom-durable";
            long lastSeq;
            await using (var writer = await TestClient.ConnectAsync(cluster.A, "writer"))
            {
                await writer.CallAsync(room, "Join");
                for (var i = 1; i <= 20; i++)
                {
                    lastSeq = (await writer.CallAsync(room, "SendMessage", new { text = $"durable {i}" })).GetProperty("seq").GetInt64();
                }
            }
            var oldInstances = new[] { cluster.A.InstanceId, cluster.B.InstanceId };

            await cluster.RestartInstancesAsync();

            Assert.DoesNotContain(cluster.A.InstanceId, oldInstances);
            await using var reader = await TestClient.ConnectAsync(cluster.B, "reader");
            var page = await reader.CallAsync(room, "GetMessages", new { afterSeq = 0, limit = 200 });
            Assert.Equal(Enumerable.Range(1, 20).Select(i => $"durable {i}"),
                page.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("text").GetString()));
            Assert.Equal(20, page.GetProperty("lastSeq").GetInt64());
            var next = await reader.CallAsync(room, "Join");
            Assert.Equal(["reader"], next.GetProperty("members").EnumerateArray().Select(m => m.GetString()));
        }
    }
}
