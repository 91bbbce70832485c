using System.Globalization;
using PromptIntern.Evaluation.Formula;

namespace PromptIntern.Datasets.Nl2Formula;

/// <summary>A drawn table: the key column first (unique values), then a shuffled choice of the domain's other columns;
/// 5–30 data rows under a header row. Knows the A1-style ranges of its columns.</summary>
public sealed class GeneratedTable
{
    public TableDomain Domain { get; }
    public string Name { get; }
    public IReadOnlyList<ColumnSpec> Columns { get; }
    public IReadOnlyList<string[]> Data { get; }
    public int LastRow => Data.Count + 1;

    GeneratedTable(TableDomain domain, string name, IReadOnlyList<ColumnSpec> columns, IReadOnlyList<string[]> data)
    {
        Domain = domain; Name = name; Columns = columns; Data = data;
    }

    public static GeneratedTable Draw(Random r, int minRows = 5, int maxRows = 30)
    {
        var domain = TableDomain.All[r.Next(TableDomain.All.Count)];
        var name = domain.TableNames[r.Next(domain.TableNames.Length)];
        var others = domain.Columns.OrderBy(_ => r.Next()).Take(3 + r.Next(Math.Max(1, domain.Columns.Length - 2))).ToList();
        // Every table needs something to count by and something to add up.
        foreach (var kind in new[] { ColumnKind.Category, ColumnKind.Number })
            if (!others.Any(c => c.Kind == kind)) others.Add(domain.Columns.First(c => c.Kind == kind));
        if (others.Count(c => c.Kind == ColumnKind.Number) < 2)
            others.Add(domain.Columns.First(c => c.Kind == ColumnKind.Number && !others.Contains(c)));
        var columns = new List<ColumnSpec> { domain.Key };
        columns.AddRange(others);
        int rows = minRows + r.Next(maxRows - minRows + 1);
        var keys = new HashSet<string>();
        var data = new List<string[]>();
        for (int i = 0; i < rows; i++)
        {
            string key;
            int tries = 0;
            do { key = domain.Key.Draw(r); } while (!keys.Add(key) && ++tries < 1000);
            if (tries >= 1000) break;
            data.Add(columns.Select((c, j) => j == 0 ? key : c.Draw(r)).ToArray());
        }
        return new GeneratedTable(domain, name, columns, data);
    }

    public IReadOnlyList<IReadOnlyList<string>> Rows() =>
        new[] { (IReadOnlyList<string>)Columns.Select(c => c.Header).ToList() }.Concat(Data.Select(d => (IReadOnlyList<string>)d)).ToList();

    public int IndexOf(ColumnSpec c) => Columns.ToList().IndexOf(c);
    public string Letter(ColumnSpec c) => CellAddress.ColumnLetters(IndexOf(c) + 1);
    /// <summary>The data cells of a column, e.g. <c>C2:C17</c>.</summary>
    public string Range(ColumnSpec c) => $"{Letter(c)}2:{Letter(c)}{LastRow}";
    /// <summary>The whole data block, e.g. <c>A2:F17</c>, for VLOOKUP.</summary>
    public string Block => $"A2:{CellAddress.ColumnLetters(Columns.Count)}{LastRow}";
    public IEnumerable<string> Values(ColumnSpec c) => Data.Select(d => d[IndexOf(c)]);
    public double[] Numbers(ColumnSpec c) => Values(c).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
    public IEnumerable<ColumnSpec> OfKind(ColumnKind k) => Columns.Where(c => c.Kind == k);
}
