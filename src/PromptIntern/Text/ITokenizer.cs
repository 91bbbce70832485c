namespace PromptIntern.Text;

/// <summary>What the model stack needs from a tokenizer; lets Modeling and Training run on any vocabulary (BPE ModelTokenizer, byte-level for tests).</summary>
public interface ITokenizer
{
    int[] Encode(string text);
    string Decode(IEnumerable<int> ids);
    int VocabSize { get; }
    int BosId { get; }
    int EosId { get; }
    int PadId { get; }
    /// <summary>Whether the kit starts every sequence it trains on, scores or completes with BOS (see <see cref="SpecialTokenRoles.PrependsBos"/>).</summary>
    bool PrependsBos => true;
    /// <summary>[BOS] when <see cref="PrependsBos"/>, else nothing.</summary>
    int[] BosPrefix => PrependsBos ? [BosId] : [];
    /// <summary>Writes the tokenizer's files into <paramref name="directory"/> so that <see cref="TokenizerFiles.Load"/> can read them back.</summary>
    void Save(string directory);
}
