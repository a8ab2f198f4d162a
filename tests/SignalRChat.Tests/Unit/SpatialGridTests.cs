using SignalRChat.Objects.Zones;

namespace SignalRChat.Tests.Unit;

public sealed class SpatialGridTests
{
    [Theory]
    [InlineData(1, 50.0, 10)]
    [InlineData(2, 250.0, 50)]
    [InlineData(3, 5000.0, 500)]
    [InlineData(4, 3_000_000.0, 20)]
    public void Within_MatchesABruteForceScan_OnTenThousandRandomPositions(int seed, double radius, int limit)
    {
        var random = new Random(seed);
        var grid = new SpatialGrid(100);
        var positions = new Dictionary<string, (double X, double Y)>();
        for (var i = 0; i < 10_000; i++)
        {
            var p = (random.NextDouble() * 20_000 - 10_000, random.NextDouble() * 20_000 - 10_000);
            positions[$"p{i}"] = p;
            grid.Set($"p{i}", p.Item1, p.Item2);
        }
        // Some move, some leave: the index must follow.
        for (var i = 0; i < 2_000; i++)
        {
            var p = (random.NextDouble() * 20_000 - 10_000, random.NextDouble() * 20_000 - 10_000);
            positions[$"p{i}"] = p;
            grid.Set($"p{i}", p.Item1, p.Item2);
        }
        for (var i = 2_000; i < 2_500; i++)
        {
            positions.Remove($"p{i}");
            Assert.True(grid.Remove($"p{i}"));
        }

        for (var q = 0; q < 50; q++)
        {
            var (x, y) = (random.NextDouble() * 20_000 - 10_000, random.NextDouble() * 20_000 - 10_000);
            var expected = positions.Where(p => p.Key != "p7")
                .Select(p => (Id: p.Key, Distance: Math.Sqrt((p.Value.X - x) * (p.Value.X - x) + (p.Value.Y - y) * (p.Value.Y - y))))
                .Where(p => p.Distance <= radius)
                .OrderBy(p => p.Distance).ThenBy(p => p.Id, StringComparer.Ordinal)
                .Take(limit).ToList();

            var found = grid.Within(x, y, radius, limit, exclude: "p7");

            Assert.Equal(expected, found);
        }
    }

    [Theory]
    // A crowded zone, a sparse one spread to the coordinate limits, and one with fewer players than the limit.
    [InlineData(5, 10_000, 2_000.0, 500)]
    [InlineData(6, 300, 1_000_000.0, 50)]
    [InlineData(7, 120, 5_000.0, 500)]
    public void Nearest_IsWithinTheLargestRadius_FromTheCellsAroundThePoint(int seed, int count, double spread, int limit)
    {
        var random = new Random(seed);
        var grid = new SpatialGrid(100);
        for (var i = 0; i < count; i++)
        {
            grid.Set($"p{i}", (random.NextDouble() * 2 - 1) * spread, (random.NextDouble() * 2 - 1) * spread);
        }
        bool Hidden(string id) => id.EndsWith('3');

        for (var q = 0; q < 20; q++)
        {
            var (x, y) = ((random.NextDouble() * 2 - 1) * spread, (random.NextDouble() * 2 - 1) * spread);
            var expected = grid.Within(x, y, Zone.MaxRadius, limit, exclude: "p1", Hidden);

            var found = grid.Nearest(x, y, Zone.MaxRadius, limit, exclude: "p1", Hidden);

            Assert.Equal(expected, found);
        }
    }

    [Fact]
    public void Within_WithoutALimit_ReturnsEveryoneInTheRadius_NearestFirst()
    {
        var grid = new SpatialGrid(10);
        for (var i = 0; i < 20; i++)
        {
            grid.Set($"p{i}", i * 7.0, 0);
        }
        var found = grid.Within(0, 0, 50, int.MaxValue, exclude: "p0");
        Assert.Equal(Enumerable.Range(1, 7).Select(i => $"p{i}"), found.Select(f => f.Id));
        Assert.Equal(20, grid.Count);
    }
}
