namespace SignalRChat.Objects.History;

/// <summary>
/// Which entries a read returns. Forward (catch-up after a reconnect): the first <see cref="Limit"/> entries after
/// <see cref="AfterSeq"/>, below <see cref="BeforeSeq"/> when that is set too. Backward (scrolling up): with only
/// <see cref="BeforeSeq"/> set, the last <see cref="Limit"/> entries before it. Pages are oldest first either way.
/// </summary>
public readonly record struct LogRange(long? AfterSeq, long? BeforeSeq, int Limit)
{
    /// <summary>Whether the read pages backward from <see cref="BeforeSeq"/>.</summary>
    public bool IsBackward => AfterSeq is null && BeforeSeq is not null;
}
