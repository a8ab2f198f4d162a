namespace SignalRChat.Objects.Zones;

/// <summary>
/// Positions in square cells, so "who is within r of here" looks at the cells the circle touches instead of every
/// position. Falls back to the occupied cells when the circle covers more cells than are occupied.
/// </summary>
internal sealed class SpatialGrid(double cellSize)
{
    private static readonly IComparer<(double Distance, string Id)> Farthest = Comparer<(double Distance, string Id)>.Create((a, b) => ByDistance(b, a));

    private readonly Dictionary<(long X, long Y), HashSet<string>> _cells = [];
    private readonly Dictionary<string, (double X, double Y)> _positions = new(StringComparer.Ordinal);

    public int Count => _positions.Count;

    /// <summary>Places <paramref name="id"/> at a position, moving it if it is placed already.</summary>
    public void Set(string id, double x, double y)
    {
        var cell = CellOf(x, y);
        if (_positions.TryGetValue(id, out var old))
        {
            var oldCell = CellOf(old.X, old.Y);
            if (oldCell != cell)
            {
                RemoveFromCell(oldCell, id);
                AddToCell(cell, id);
            }
        }
        else
        {
            AddToCell(cell, id);
        }
        _positions[id] = (x, y);
    }

    public bool Remove(string id)
    {
        if (!_positions.Remove(id, out var old))
        {
            return false;
        }
        RemoveFromCell(CellOf(old.X, old.Y), id);
        return true;
    }

    /// <summary>The IDs within <paramref name="radius"/> of (x, y), nearest first (ties by ID), at most <paramref name="limit"/>,
    /// without <paramref name="exclude"/> and the IDs <paramref name="hidden"/> says to leave out.</summary>
    public List<(string Id, double Distance)> Within(double x, double y, double radius, int limit, string? exclude, Func<string, bool>? hidden = null)
    {
        var squared = radius * radius;
        var (minX, minY) = CellOf(x - radius, y - radius);
        var (maxX, maxY) = CellOf(x + radius, y + radius);
        var bounded = limit < _positions.Count;
        var best = new PriorityQueue<string, (double, string)>(Farthest);
        var all = new List<(string Id, double Distance)>();

        void Consider(string id)
        {
            if (id == exclude || hidden?.Invoke(id) == true)
            {
                return;
            }
            var (px, py) = _positions[id];
            var d2 = (px - x) * (px - x) + (py - y) * (py - y);
            if (d2 > squared)
            {
                return;
            }
            var distance = Math.Sqrt(d2);
            if (!bounded)
            {
                all.Add((id, distance));
                return;
            }
            best.Enqueue(id, (distance, id));
            if (best.Count > limit)
            {
                best.Dequeue();
            }
        }

        if ((double)(maxX - minX + 1) * (maxY - minY + 1) > _cells.Count)
        {
            foreach (var (cell, ids) in _cells)
            {
                if (cell.X >= minX && cell.X <= maxX && cell.Y >= minY && cell.Y <= maxY)
                {
                    foreach (var id in ids)
                    {
                        Consider(id);
                    }
                }
            }
        }
        else
        {
            for (var cx = minX; cx <= maxX; cx++)
            {
                for (var cy = minY; cy <= maxY; cy++)
                {
                    if (_cells.TryGetValue((cx, cy), out var ids))
                    {
                        foreach (var id in ids)
                        {
                            Consider(id);
                        }
                    }
                }
            }
        }

        if (bounded)
        {
            while (best.TryDequeue(out var id, out var key))
            {
                all.Add((id, key.Item1));
            }
        }
        all.Sort((a, b) => ByDistance((a.Distance, a.Id), (b.Distance, b.Id)));
        return all.Count > limit ? all[..limit] : all;
    }

    /// <summary>The <paramref name="limit"/> IDs nearest to (x, y) within <paramref name="maxRadius"/>, as
    /// <see cref="Within"/> returns them: it looks within a cell's side first and doubles the radius until it has
    /// <paramref name="limit"/> (any ID farther out is farther than those) or the radius reaches
    /// <paramref name="maxRadius"/>, so a crowded zone answers from the cells around the point.</summary>
    public List<(string Id, double Distance)> Nearest(double x, double y, double maxRadius, int limit, string? exclude, Func<string, bool>? hidden = null)
    {
        for (var radius = Math.Min(cellSize, maxRadius); ; radius = Math.Min(radius * 2, maxRadius))
        {
            var found = Within(x, y, radius, limit, exclude, hidden);
            if (found.Count >= limit || radius >= maxRadius)
            {
                return found;
            }
        }
    }

    private static int ByDistance((double Distance, string Id) a, (double Distance, string Id) b)
    {
        var byDistance = a.Distance.CompareTo(b.Distance);
        return byDistance != 0 ? byDistance : string.CompareOrdinal(a.Id, b.Id);
    }

    private (long X, long Y) CellOf(double x, double y) => ((long)Math.Floor(x / cellSize), (long)Math.Floor(y / cellSize));

    private void AddToCell((long, long) cell, string id)
    {
        if (!_cells.TryGetValue(cell, out var ids))
        {
            _cells[cell] = ids = new HashSet<string>(StringComparer.Ordinal);
        }
        ids.Add(id);
    }

    private void RemoveFromCell((long, long) cell, string id)
    {
        if (_cells.TryGetValue(cell, out var ids) && ids.Remove(id) && ids.Count == 0)
        {
            _cells.Remove(cell);
        }
    }
}
