using System.Globalization;
using PromptIntern.Data;
using PromptIntern.Evaluation.Formula;

namespace PromptIntern.Datasets.Nl2Formula;

/// <summary>Builds NL2Formula-style data (ours; the original dataset is not available to us): a realistic table, a question
/// in one of several phrasings, and the reference formula, which <see cref="FormulaEvaluator"/> runs so each row stores its
/// checked answer in <c>value</c>. The same seed gives the same rows.</summary>
public sealed class Nl2FormulaGenerator
{
    /// <summary>Recorded in the data README; bump when the output for a given seed changes.</summary>
    public const string Version = "1.0";

    delegate (string Question, string Formula)? Kind(Random r, GeneratedTable t);

    static readonly Kind[] Kinds =
    [
        Aggregate, CountRows, CountCategory, CountThreshold, MedianOrLarge, MatchPosition,
        ConditionalAggregate, Lookup, IndexMatchLookup, RoundedAverage, Spread, TextOfLookup, DatePart, SumByThreshold,
        TwoCriteria, ExtremeByCondition, IfAverage, IfLookup, ArgMax, ShareOfTotal, EitherCategory, CombineLookups,
        GradeBands, BothThresholds, AbsDifference, RoundedAverageIfs,
    ];

    /// <summary>Rows for one split; ids <c>nl2f-&lt;split&gt;-00000</c>…; each split has its own stream of the seed.</summary>
    public static IReadOnlyList<TaskExample> Generate(int seed, string split, int count)
    {
        var r = new Random(unchecked(seed * 7919 + StableHash(split)));
        var rows = new List<TaskExample>(count);
        while (rows.Count < count)
        {
            var table = GeneratedTable.Draw(r);
            var kind = Kinds[r.Next(Kinds.Length)];
            if (kind(r, table) is not var (question, formula)) continue;
            var sheet = new Sheet(table.Rows());
            var value = FormulaEvaluator.Evaluate(formula, sheet);
            if (value is FormulaError or null or RangeValue) continue; // only questions with a real answer
            var level = FormulaComplexity.Level(formula);
            rows.Add(Nl2FormulaRecords.Create($"nl2f-{split}-{rows.Count:D5}", Prefix(r, table, question), formula,
                table.Rows(), table.Name, level, FormulaValue.Format(value)));
        }
        return rows;
    }

    static int StableHash(string s) { int h = 17; foreach (char c in s) h = unchecked(h * 31 + c); return h; }

    static string Prefix(Random r, GeneratedTable t, string q) => r.Next(4) switch
    {
        0 => $"{Pick(r, "In the", "Using the", "From the", "Based on the")} {t.Name} table, {char.ToLowerInvariant(q[0])}{q[1..]}",
        _ => q,
    };

    static string Pick(Random r, params string[] options) => options[r.Next(options.Length)];
    static T? PickOf<T>(Random r, IEnumerable<T> xs) where T : class { var l = xs.ToList(); return l.Count == 0 ? null : l[r.Next(l.Count)]; }
    static string Q(string s) => "\"" + s + "\"";
    static string Cap(string s) => char.ToUpperInvariant(s[0]) + s[1..];
    static string Num(double x) => FormulaValue.FormatNumber(x);

    /// <summary>A threshold from the column's own values (so conditions split the rows), without trailing zeros.</summary>
    static string Threshold(Random r, GeneratedTable t, ColumnSpec c)
    {
        var xs = t.Numbers(c).OrderBy(x => x).ToArray();
        return Num(xs[xs.Length / 4 + r.Next(Math.Max(1, xs.Length / 2))]);
    }

    static (string Op, string Words) Comparison(Random r) => Pick(r, ">", ">=", "<", "<=") switch
    {
        ">" => (">", Pick(r, "more than", "above", "greater than", "over")),
        ">=" => (">=", Pick(r, "at least", "no less than")),
        "<" => ("<", Pick(r, "less than", "below", "under")),
        _ => ("<=", Pick(r, "at most", "no more than")),
    };

    static string Filter(ColumnSpec c, string value) => string.Format(CultureInfo.InvariantCulture, c.Filter, value, c.Noun);
    static string Key(Random r, GeneratedTable t) => t.Data[r.Next(t.Data.Count)][0];
    static string Category(Random r, GeneratedTable t, ColumnSpec c) => PickOf(r, t.Values(c).Distinct())!;
    static string Vlookup(GeneratedTable t, string key, ColumnSpec c) => $"VLOOKUP({Q(key)},{t.Block},{t.IndexOf(c) + 1},FALSE)";

    // ---- easy ----
    static (string, string)? Aggregate(Random r, GeneratedTable t)
    {
        var c = PickOf(r, t.OfKind(ColumnKind.Number))!;
        var e = t.Domain.Entities;
        return r.Next(4) switch
        {
            0 => (Pick(r, $"What is the total {c.Noun}?", $"Calculate the sum of {c.Noun} for all {e}.", $"Add up the {c.Noun} of every {t.Domain.Entity}."), $"=SUM({t.Range(c)})"),
            1 => (Pick(r, $"What is the average {c.Noun}?", $"Find the mean {c.Noun} across all {e}.", $"Compute the average {c.Noun} of the {e}."), $"=AVERAGE({t.Range(c)})"),
            2 => (Pick(r, $"What is the highest {c.Noun}?", $"Find the maximum {c.Noun}.", $"What is the largest {c.Noun} in the table?"), $"=MAX({t.Range(c)})"),
            _ => (Pick(r, $"What is the lowest {c.Noun}?", $"Find the minimum {c.Noun}.", $"What is the smallest {c.Noun} recorded?"), $"=MIN({t.Range(c)})"),
        };
    }

    static (string, string)? CountRows(Random r, GeneratedTable t) =>
        (Pick(r, $"How many {t.Domain.Entities} are listed?", $"Count the number of {t.Domain.Entities} in the table.", $"How many {t.Domain.Entities} are there?"),
         $"=COUNTA({t.Range(t.Columns[0])})");

    static (string, string)? CountCategory(Random r, GeneratedTable t)
    {
        var c = PickOf(r, t.OfKind(ColumnKind.Category))!;
        var v = Category(r, t, c);
        return (Pick(r, $"How many {t.Domain.Entities} are {Filter(c, v)}?", $"Count the {t.Domain.Entities} {Filter(c, v)}.", $"What is the number of {t.Domain.Entities} whose {c.Noun} is {v}?"),
                $"=COUNTIF({t.Range(c)},{Q(v)})");
    }

    static (string, string)? CountThreshold(Random r, GeneratedTable t)
    {
        var c = PickOf(r, t.OfKind(ColumnKind.Number))!;
        var (op, words) = Comparison(r);
        var x = Threshold(r, t, c);
        return (Pick(r, $"How many {t.Domain.Entities} have a {c.Noun} of {words} {x}?", $"Count the {t.Domain.Entities} with {c.Noun} {words} {x}."),
                $"=COUNTIF({t.Range(c)},{Q(op + x)})");
    }

    static (string, string)? MedianOrLarge(Random r, GeneratedTable t)
    {
        var c = PickOf(r, t.OfKind(ColumnKind.Number))!;
        return r.Next(3) switch
        {
            0 => (Pick(r, $"What is the median {c.Noun}?", $"Find the middle value of the {c.Noun}."), $"=MEDIAN({t.Range(c)})"),
            1 => (Pick(r, $"What is the second highest {c.Noun}?", $"Find the 2nd largest {c.Noun}."), $"=LARGE({t.Range(c)},2)"),
            _ => (Pick(r, $"What is the second lowest {c.Noun}?", $"Find the 2nd smallest {c.Noun}."), $"=SMALL({t.Range(c)},2)"),
        };
    }

    static (string, string)? MatchPosition(Random r, GeneratedTable t)
    {
        var k = Key(r, t);
        return (Pick(r, $"In which position does {k} appear in the {t.Domain.Entity} list?", $"What is the row position of {k} among the {t.Domain.Entities}?"),
                $"=MATCH({Q(k)},{t.Range(t.Columns[0])},0)");
    }

    // ---- medium ----
    static (string, string)? ConditionalAggregate(Random r, GeneratedTable t)
    {
        var c = PickOf(r, t.OfKind(ColumnKind.Category))!;
        var n = PickOf(r, t.OfKind(ColumnKind.Number))!;
        var v = Category(r, t, c);
        return r.Next(2) == 0
            ? (Pick(r, $"What is the total {n.Noun} {Filter(c, v)}?", $"Sum the {n.Noun} of {t.Domain.Entities} {Filter(c, v)}.", $"Add up {n.Noun} where the {c.Noun} is {v}."),
               $"=SUMIF({t.Range(c)},{Q(v)},{t.Range(n)})")
            : (Pick(r, $"What is the average {n.Noun} of {t.Domain.Entities} {Filter(c, v)}?", $"Find the mean {n.Noun} where the {c.Noun} is {v}."),
               $"=AVERAGEIF({t.Range(c)},{Q(v)},{t.Range(n)})");
    }

    static (string, string)? Lookup(Random r, GeneratedTable t)
    {
        var c = t.Columns[1 + r.Next(t.Columns.Count - 1)];
        var k = Key(r, t);
        return (Pick(r, $"What is the {c.Noun} of {k}?", $"Look up the {c.Noun} for {k}.", $"Find {k}'s {c.Noun}.", $"Return the {c.Noun} of the {t.Domain.Entity} {k}."),
                "=" + Vlookup(t, k, c));
    }

    static (string, string)? IndexMatchLookup(Random r, GeneratedTable t)
    {
        var c = t.Columns[1 + r.Next(t.Columns.Count - 1)];
        var k = Key(r, t);
        return (Pick(r, $"Using INDEX and MATCH, get the {c.Noun} of {k}.", $"Which {c.Noun} does {k} have?", $"Show the {c.Noun} recorded for {k}."),
                $"=INDEX({t.Range(c)},MATCH({Q(k)},{t.Range(t.Columns[0])},0))");
    }

    static (string, string)? RoundedAverage(Random r, GeneratedTable t)
    {
        var n = PickOf(r, t.OfKind(ColumnKind.Number))!;
        int d = r.Next(3);
        string places = d switch { 0 => "the nearest whole number", 1 => "one decimal place", _ => "two decimal places" };
        return (Pick(r, $"What is the average {n.Noun}, rounded to {places}?", $"Round the mean {n.Noun} to {places}."), $"=ROUND(AVERAGE({t.Range(n)}),{d})");
    }

    static (string, string)? Spread(Random r, GeneratedTable t)
    {
        var n = PickOf(r, t.OfKind(ColumnKind.Number))!;
        return (Pick(r, $"What is the difference between the highest and lowest {n.Noun}?", $"Find the range of {n.Noun} (maximum minus minimum)."),
                $"=MAX({t.Range(n)})-MIN({t.Range(n)})");
    }

    static (string, string)? TextOfLookup(Random r, GeneratedTable t)
    {
        var c = PickOf(r, t.Columns.Where(x => x.Kind is ColumnKind.Category or ColumnKind.Text))!;
        var k = Key(r, t);
        return r.Next(4) switch
        {
            0 => ($"Show the {c.Noun} of {k} in upper case.", $"=UPPER({Vlookup(t, k, c)})"),
            1 => ($"Write the {c.Noun} of {k} in lower case.", $"=LOWER({Vlookup(t, k, c)})"),
            2 => (Pick(r, $"How many characters long is the {c.Noun} of {k}?", $"What is the length of {k}'s {c.Noun}?"), $"=LEN({Vlookup(t, k, c)})"),
            _ => ($"Give the first three letters of the {c.Noun} of {k}.", $"=LEFT({Vlookup(t, k, c)},3)"),
        };
    }

    static (string, string)? DatePart(Random r, GeneratedTable t)
    {
        var c = PickOf(r, t.OfKind(ColumnKind.Date));
        if (c == null) return null;
        var k = Key(r, t);
        return r.Next(3) switch
        {
            0 => (Pick(r, $"In which year is the {c.Noun} of {k}?", $"What year does {k}'s {c.Noun} fall in?"), $"=LEFT({Vlookup(t, k, c)},4)"),
            1 => ($"What is the month number (two digits) of {k}'s {c.Noun}?", $"=MID({Vlookup(t, k, c)},6,2)"),
            _ => ($"What day of the month is the {c.Noun} of {k}?", $"=RIGHT({Vlookup(t, k, c)},2)"),
        };
    }

    static (string, string)? SumByThreshold(Random r, GeneratedTable t)
    {
        var nums = t.OfKind(ColumnKind.Number).OrderBy(_ => r.Next()).Take(2).ToList();
        if (nums.Count < 2) return null;
        var (op, words) = Comparison(r);
        var x = Threshold(r, t, nums[0]);
        return (Pick(r, $"What is the total {nums[1].Noun} of {t.Domain.Entities} with a {nums[0].Noun} of {words} {x}?", $"Sum the {nums[1].Noun} where the {nums[0].Noun} is {words} {x}."),
                $"=SUMIF({t.Range(nums[0])},{Q(op + x)},{t.Range(nums[1])})");
    }

    // ---- hard ----
    static (string, string)? TwoCriteria(Random r, GeneratedTable t)
    {
        var c = PickOf(r, t.OfKind(ColumnKind.Category))!;
        var n = PickOf(r, t.OfKind(ColumnKind.Number))!;
        var m = PickOf(r, t.OfKind(ColumnKind.Number).Where(x => x != n)) ?? n;
        var v = Category(r, t, c);
        var (op, words) = Comparison(r);
        var x = Threshold(r, t, m);
        string who = $"{t.Domain.Entities} {Filter(c, v)} with a {m.Noun} of {words} {x}";
        return r.Next(3) switch
        {
            0 => (Pick(r, $"How many {who}?", $"Count the {who}.").Replace($"How many {t.Domain.Entities}", $"How many {t.Domain.Entities} are there"), $"=COUNTIFS({t.Range(c)},{Q(v)},{t.Range(m)},{Q(op + x)})"),
            1 => ($"What is the total {n.Noun} of {who}?", $"=SUMIFS({t.Range(n)},{t.Range(c)},{Q(v)},{t.Range(m)},{Q(op + x)})"),
            _ => ($"What is the average {n.Noun} of {who}?", $"=AVERAGEIFS({t.Range(n)},{t.Range(c)},{Q(v)},{t.Range(m)},{Q(op + x)})"),
        };
    }

    static (string, string)? ExtremeByCondition(Random r, GeneratedTable t)
    {
        var c = PickOf(r, t.OfKind(ColumnKind.Category))!;
        var n = PickOf(r, t.OfKind(ColumnKind.Number))!;
        var v = Category(r, t, c);
        return r.Next(2) == 0
            ? (Pick(r, $"What is the highest {n.Noun} among {t.Domain.Entities} {Filter(c, v)}?", $"Find the maximum {n.Noun} where the {c.Noun} is {v}."), $"=MAXIFS({t.Range(n)},{t.Range(c)},{Q(v)})")
            : (Pick(r, $"What is the lowest {n.Noun} among {t.Domain.Entities} {Filter(c, v)}?", $"Find the minimum {n.Noun} where the {c.Noun} is {v}."), $"=MINIFS({t.Range(n)},{t.Range(c)},{Q(v)})");
    }

    static (string, string)? IfAverage(Random r, GeneratedTable t)
    {
        var n = PickOf(r, t.OfKind(ColumnKind.Number))!;
        var x = Threshold(r, t, n);
        return (Pick(r, $"Is the average {n.Noun} above {x}? Answer \"Yes\" or \"No\".", $"Return \"Yes\" if the mean {n.Noun} is greater than {x}, otherwise \"No\"."),
                $"=IF(AVERAGE({t.Range(n)})>{x},\"Yes\",\"No\")");
    }

    static (string, string)? IfLookup(Random r, GeneratedTable t)
    {
        var n = PickOf(r, t.OfKind(ColumnKind.Number))!;
        var k = Key(r, t);
        var x = Threshold(r, t, n);
        return (Pick(r, $"Does {k} have a {n.Noun} of at least {x}? Answer \"Pass\" or \"Fail\".", $"Label {k} \"Pass\" if its {n.Noun} is at least {x} and \"Fail\" otherwise."),
                $"=IF({Vlookup(t, k, n)}>={x},\"Pass\",\"Fail\")");
    }

    static (string, string)? ArgMax(Random r, GeneratedTable t)
    {
        var n = PickOf(r, t.OfKind(ColumnKind.Number))!;
        bool max = r.Next(2) == 0;
        string f = max ? "MAX" : "MIN", word = max ? Pick(r, "highest", "largest", "most") : Pick(r, "lowest", "smallest", "least");
        return (Pick(r, $"Which {t.Domain.Entity} has the {word} {n.Noun}?", $"Name the {t.Domain.Entity} with the {word} {n.Noun}."),
                $"=INDEX({t.Range(t.Columns[0])},MATCH({f}({t.Range(n)}),{t.Range(n)},0))");
    }

    static (string, string)? ShareOfTotal(Random r, GeneratedTable t)
    {
        var c = PickOf(r, t.OfKind(ColumnKind.Category))!;
        var n = PickOf(r, t.OfKind(ColumnKind.Number))!;
        var v = Category(r, t, c);
        return (Pick(r, $"What percentage of the total {n.Noun} comes from {t.Domain.Entities} {Filter(c, v)}? Round to one decimal place.",
                     $"What share (in percent, one decimal) of all {n.Noun} belongs to {t.Domain.Entities} {Filter(c, v)}?"),
                $"=ROUND(SUMIF({t.Range(c)},{Q(v)},{t.Range(n)})/SUM({t.Range(n)})*100,1)");
    }

    static (string, string)? EitherCategory(Random r, GeneratedTable t)
    {
        var c = PickOf(r, t.OfKind(ColumnKind.Category))!;
        var vs = t.Values(c).Distinct().OrderBy(_ => r.Next()).Take(2).ToList();
        if (vs.Count < 2) return null;
        return (Pick(r, $"How many {t.Domain.Entities} have {c.Noun} {vs[0]} or {vs[1]}?", $"Count the {t.Domain.Entities} whose {c.Noun} is either {vs[0]} or {vs[1]}."),
                $"=COUNTIF({t.Range(c)},{Q(vs[0])})+COUNTIF({t.Range(c)},{Q(vs[1])})");
    }

    static (string, string)? CombineLookups(Random r, GeneratedTable t)
    {
        var cs = t.Columns.Skip(1).OrderBy(_ => r.Next()).Take(2).ToList();
        var k = Key(r, t);
        return r.Next(2) == 0
            ? ($"Combine the {cs[0].Noun} and the {cs[1].Noun} of {k}, separated by \" - \".", $"=CONCAT({Vlookup(t, k, cs[0])},\" - \",{Vlookup(t, k, cs[1])})")
            : ($"Write {k}'s {cs[0].Noun} followed by its {cs[1].Noun} in parentheses.", $"={Vlookup(t, k, cs[0])}&\" (\"&{Vlookup(t, k, cs[1])}&\")\"");
    }

    static (string, string)? GradeBands(Random r, GeneratedTable t)
    {
        var n = PickOf(r, t.OfKind(ColumnKind.Number))!;
        var k = Key(r, t);
        var xs = t.Numbers(n).OrderBy(x => x).ToArray();
        string hi = Num(xs[xs.Length * 3 / 4]), lo = Num(xs[xs.Length / 3]);
        if (hi == lo) return null;
        return ($"Rate {k}'s {n.Noun}: \"High\" if at least {hi}, \"Medium\" if at least {lo}, otherwise \"Low\".",
                $"=IFS({Vlookup(t, k, n)}>={hi},\"High\",{Vlookup(t, k, n)}>={lo},\"Medium\",TRUE,\"Low\")");
    }

    static (string, string)? BothThresholds(Random r, GeneratedTable t)
    {
        var nums = t.OfKind(ColumnKind.Number).OrderBy(_ => r.Next()).Take(2).ToList();
        if (nums.Count < 2) return null;
        var k = Key(r, t);
        string x = Threshold(r, t, nums[0]), y = Threshold(r, t, nums[1]);
        bool both = r.Next(2) == 0;
        return ($"Does {k} have a {nums[0].Noun} of at least {x} {(both ? "and" : "or")} a {nums[1].Noun} of at least {y}? Answer TRUE or FALSE.",
                $"={(both ? "AND" : "OR")}({Vlookup(t, k, nums[0])}>={x},{Vlookup(t, k, nums[1])}>={y})");
    }

    static (string, string)? AbsDifference(Random r, GeneratedTable t)
    {
        if (t.Data.Count < 2) return null;
        var n = PickOf(r, t.OfKind(ColumnKind.Number))!;
        var keys = t.Data.OrderBy(_ => r.Next()).Take(2).Select(d => d[0]).ToList();
        return (Pick(r, $"What is the absolute difference in {n.Noun} between {keys[0]} and {keys[1]}?", $"How far apart are {keys[0]} and {keys[1]} in {n.Noun}?"),
                $"=ABS({Vlookup(t, keys[0], n)}-{Vlookup(t, keys[1], n)})");
    }

    static (string, string)? RoundedAverageIfs(Random r, GeneratedTable t)
    {
        var cats = t.OfKind(ColumnKind.Category).ToList();
        var n = PickOf(r, t.OfKind(ColumnKind.Number))!;
        if (cats.Count < 2)
        {
            var c = cats[0];
            var v = Category(r, t, c);
            return ($"What is the average {n.Noun} of {t.Domain.Entities} not {Filter(c, v)}, rounded to two decimals?",
                    $"=ROUND(AVERAGEIF({t.Range(c)},{Q("<>" + v)},{t.Range(n)}),2)");
        }
        var pick = cats.OrderBy(_ => r.Next()).Take(2).ToList();
        var row = t.Data[r.Next(t.Data.Count)]; // values that co-occur, so the average exists
        string v0 = row[t.IndexOf(pick[0])], v1 = row[t.IndexOf(pick[1])];
        return ($"What is the average {n.Noun} of {t.Domain.Entities} {Filter(pick[0], v0)} and {Filter(pick[1], v1)}, rounded to two decimals?",
                $"=ROUND(AVERAGEIFS({t.Range(n)},{t.Range(pick[0])},{Q(v0)},{t.Range(pick[1])},{Q(v1)}),2)");
    }
}
