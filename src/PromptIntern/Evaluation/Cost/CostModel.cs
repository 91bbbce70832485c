namespace PromptIntern.Evaluation.Cost;

/// <summary>The money N queries cost under one prompt layout, with the tokenizer that counted the tokens.</summary>
public sealed record CostEstimate(
    string Model, string Tokenizer, long Queries,
    double InputTokensPerQuery, double OutputTokensPerQuery,
    double InputCost, double OutputCost)
{
    public double TotalCost => InputCost + OutputCost;
    public double CostPerQuery => Queries == 0 ? 0 : TotalCost / Queries;
}

/// <summary>Prices a prompt layout: cost = queries × (input tokens × input price + output tokens × output price) / 1M.</summary>
public static class CostModel
{
    public static CostEstimate Estimate(ModelPrice price, string tokenizer, double inputTokensPerQuery, double outputTokensPerQuery, long queries)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(queries);
        ArgumentOutOfRangeException.ThrowIfNegative(inputTokensPerQuery);
        ArgumentOutOfRangeException.ThrowIfNegative(outputTokensPerQuery);
        double inputCost = queries * inputTokensPerQuery * price.InputPerMillion / 1_000_000d;
        double outputCost = queries * outputTokensPerQuery * price.OutputPerMillion / 1_000_000d;
        return new CostEstimate(price.Model, tokenizer, queries, inputTokensPerQuery, outputTokensPerQuery, inputCost, outputCost);
    }

    /// <summary>Fraction saved going from <paramref name="baseline"/> to <paramref name="candidate"/> (0.883 = the paper's 88.3%).</summary>
    public static double Saving(double baseline, double candidate) => baseline == 0 ? 0 : 1 - candidate / baseline;
}
