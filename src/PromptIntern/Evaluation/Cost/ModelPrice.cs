namespace PromptIntern.Evaluation.Cost;

/// <summary>What one hosted model charges per 1M input and output tokens, which tokenizer bills it, and where the price comes from.</summary>
public sealed record ModelPrice(
    string Model,
    string Display,
    string BaseModel,
    bool FineTuned,
    string Tokenizer,
    double InputPerMillion,
    double OutputPerMillion,
    string Source,
    DateOnly AsOf);
