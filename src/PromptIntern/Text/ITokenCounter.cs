namespace PromptIntern.Text;

/// <summary>Counts tokens the way the priced model bills them: compression budgets, curriculum reports and cost estimates
/// are all met in these tokens. <see cref="CostTokenizer"/> is the implementation.</summary>
public interface ITokenCounter
{
    /// <summary>Tokenizer name, reported with every count (e.g. "o200k_base").</summary>
    string Name { get; }

    int CountTokens(string text);
}
