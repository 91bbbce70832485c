namespace PromptIntern.Compression;

/// <summary>A compressor's decision before the budget is enforced: a keep priority per unit (higher is kept
/// first), units removed by coarse selection, and the order in which parts are emitted (null: original order).</summary>
public sealed record UnitPlan(double[] Priority, bool[] Excluded, IReadOnlyList<int>? PartOrder = null)
{
    public static UnitPlan FromPriorities(double[] priority) => new(priority, new bool[priority.Length]);
}
