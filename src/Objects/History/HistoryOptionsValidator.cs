using Microsoft.Extensions.Options;

namespace SignalRChat.Objects.History;

/// <summary>Rejects retention settings that would keep nothing, or ages too long to compute a cutoff from.</summary>
internal sealed class HistoryOptionsValidator : IValidateOptions<HistoryOptions>
{
    /// <summary>The longest <see cref="HistoryRetention.MaxAge"/> accepted.</summary>
    public static readonly TimeSpan LongestAge = TimeSpan.FromDays(36_500);

    public ValidateOptionsResult Validate(string? name, HistoryOptions options)
    {
        List<string> problems = [];
        foreach (var (kind, retention) in options.All())
        {
            if (retention.MaxMessages < 1)
            {
                problems.Add($"History:{kind}:MaxMessages must be at least 1; it is {retention.MaxMessages}.");
            }
            if (retention.MaxAge <= TimeSpan.Zero || retention.MaxAge > LongestAge)
            {
                problems.Add($"History:{kind}:MaxAge must be positive and at most {LongestAge.TotalDays:0} days; it is {retention.MaxAge}.");
            }
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
