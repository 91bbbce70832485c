namespace PromptIntern.Compression;

/// <summary>A run of consecutive units (a demonstration, a document, a template section) compressed at its
/// own keep rate; <see cref="Rank"/> orders blocks by estimated importance (0 = most important).</summary>
public sealed record UnitBlock(int Part, int FirstUnit, int UnitCount, double Rate = 1, int Rank = 0)
{
    public IEnumerable<int> Units => Enumerable.Range(FirstUnit, UnitCount);

    public string Text(PromptDocument doc) => UnitCount == 0 ? ""
        : doc.Text.Substring(doc.Units[FirstUnit].Start, doc.Units[FirstUnit + UnitCount - 1].End - doc.Units[FirstUnit].Start);

    /// <summary>Estimated counted tokens of the block's units that may be dropped.</summary>
    public double DroppableTokens(PromptDocument doc) => doc.TokenScale * Units.Where(u => !doc.Forced[u]).Sum(u => doc.UnitTokens[u]);

    /// <summary>One block per part.</summary>
    public static UnitBlock OfPart(PromptDocument doc, int part) =>
        new(part, doc.Parts[part].FirstUnit, doc.Parts[part].UnitCount);

    /// <summary>A part's sections: runs of units separated by blank lines.</summary>
    public static List<UnitBlock> Sections(PromptDocument doc, int part)
    {
        var p = doc.Parts[part];
        var blocks = new List<UnitBlock>();
        var start = p.FirstUnit;
        for (var u = p.FirstUnit; u < p.FirstUnit + p.UnitCount; u++)
            if (doc.UnitText(u).Count(c => c == '\n') >= 2)
            {
                blocks.Add(new UnitBlock(part, start, u + 1 - start));
                start = u + 1;
            }
        if (start < p.FirstUnit + p.UnitCount) blocks.Add(new UnitBlock(part, start, p.FirstUnit + p.UnitCount - start));
        return blocks;
    }
}
