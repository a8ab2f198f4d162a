using SignalRChat.Hub.Wire;

namespace SignalRChat.Tests.Unit;

public sealed class WireValueTests
{
    [Fact]
    public void ToJson_OfAMessagePackGraph_GivesTheSameJsonAsTheJsonProtocol()
    {
        var fromMessagePack = new Dictionary<object, object?>
        {
            ["text"] = "hi",
            ["limit"] = (byte)5,
            ["ratio"] = 0.5,
            ["tags"] = new object?[] { "a", true, null },
            ["nested"] = new Dictionary<object, object?> { ["n"] = 300L },
        };

        var json = System.Text.Encoding.UTF8.GetString(WireValue.ToJson(fromMessagePack));

        Assert.Equal("{\"text\":\"hi\",\"limit\":5,\"ratio\":0.5,\"tags\":[\"a\",true,null],\"nested\":{\"n\":300}}", json);
    }

    [Fact]
    public void ToJson_OfNull_IsEmpty()
    {
        Assert.Empty(WireValue.ToJson(null));
        Assert.Empty(WireValue.ToJson(JsonDocument.Parse("null").RootElement));
    }

    [Fact]
    public void ToJson_RefusesMapsWithNonStringKeys()
    {
        var error = Assert.Throws<FormatException>(() => WireValue.ToJson(new Dictionary<object, object> { [1] = "x" }));

        Assert.Contains("map keys must be strings", error.Message);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void ToJson_RefusesNumbersJsonCannotCarry(double number)
    {
        var error = Assert.Throws<FormatException>(() => WireValue.ToJson(new Dictionary<object, object> { ["x"] = number }));

        Assert.Contains("has no JSON form", error.Message);
    }

    [Fact]
    public void From_GivesCamelCaseKeysAndPlainValues()
    {
        var plain = (Dictionary<string, object?>)WireValue.From(new { RoomName = "r", Seq = 3L, Ok = true, Items = new[] { 1.5 } })!;

        Assert.Equal(["roomName", "seq", "ok", "items"], plain.Keys);
        Assert.IsType<long>(plain["seq"]);
        Assert.Equal(3L, (long)plain["seq"]!);
        Assert.Equal([1.5], (List<object?>)plain["items"]!);
    }
}
