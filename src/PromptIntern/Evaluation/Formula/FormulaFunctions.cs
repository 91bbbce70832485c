namespace PromptIntern.Evaluation.Formula;

/// <summary>The Excel functions the evaluator knows, with Excel's treatment of ranges (text and empty cells skipped by
/// numeric aggregates) and of direct arguments (coerced).</summary>
public static class FormulaFunctions
{
    delegate object? Function(FormulaEvaluator e, IReadOnlyList<FormulaNode> a);

    static readonly Dictionary<string, (int Min, int Max, Function Run)> Table = new()
    {
        ["SUM"] = (1, 255, (e, a) => Numbers(e, a) is List<double> xs ? xs.Sum() : Numbers(e, a)),
        ["AVERAGE"] = (1, 255, (e, a) => Numbers(e, a) is List<double> xs ? (xs.Count == 0 ? FormulaError.DivideByZero : xs.Average()) : Numbers(e, a)),
        ["MAX"] = (1, 255, (e, a) => Numbers(e, a) is List<double> xs ? (xs.Count == 0 ? 0.0 : xs.Max()) : Numbers(e, a)),
        ["MIN"] = (1, 255, (e, a) => Numbers(e, a) is List<double> xs ? (xs.Count == 0 ? 0.0 : xs.Min()) : Numbers(e, a)),
        ["MEDIAN"] = (1, 255, (e, a) => Numbers(e, a) is List<double> xs ? (xs.Count == 0 ? FormulaError.Number : Median(xs)) : Numbers(e, a)),
        ["COUNT"] = (1, 255, (e, a) => (double)a.Sum(n => IsReference(n)
            ? Cells(e, n).Count(v => v is double)
            : Coerce.ToNumber(e.Scalar(n)) is double ? 1 : 0)),
        ["COUNTA"] = (1, 255, (e, a) => (double)a.Sum(n => IsReference(n) ? Cells(e, n).Count(v => v is not null) : 1)),
        ["COUNTBLANK"] = (1, 1, (e, a) => (double)Cells(e, a[0]).Count(v => v is null or "")),
        ["LARGE"] = (2, 2, (e, a) => Nth(e, a, largest: true)),
        ["SMALL"] = (2, 2, (e, a) => Nth(e, a, largest: false)),
        ["SUMIF"] = (2, 3, (e, a) => Conditional(e, a.Count == 3 ? a[2] : a[0], [(a[0], a[1])], xs => xs.Sum())),
        ["AVERAGEIF"] = (2, 3, (e, a) => Conditional(e, a.Count == 3 ? a[2] : a[0], [(a[0], a[1])], Average)),
        ["COUNTIF"] = (2, 2, (e, a) => CountIfs(e, [(a[0], a[1])])),
        ["SUMIFS"] = (3, 255, (e, a) => Conditional(e, a[0], Pairs(a, 1), xs => xs.Sum())),
        ["AVERAGEIFS"] = (3, 255, (e, a) => Conditional(e, a[0], Pairs(a, 1), Average)),
        ["MAXIFS"] = (3, 255, (e, a) => Conditional(e, a[0], Pairs(a, 1), xs => xs.Count == 0 ? 0.0 : xs.Max())),
        ["MINIFS"] = (3, 255, (e, a) => Conditional(e, a[0], Pairs(a, 1), xs => xs.Count == 0 ? 0.0 : xs.Min())),
        ["COUNTIFS"] = (2, 254, (e, a) => CountIfs(e, Pairs(a, 0))),
        ["SUMPRODUCT"] = (1, 255, SumProduct),
        ["IF"] = (2, 3, (e, a) => Coerce.ToBool(e.Scalar(a[0])) switch
        {
            true => e.Value(a[1]),
            false => a.Count == 3 ? e.Value(a[2]) : false,
            var err => err,
        }),
        ["IFS"] = (2, 254, Ifs),
        ["IFERROR"] = (2, 2, (e, a) => e.Scalar(a[0]) is FormulaError ? e.Value(a[1]) : e.Value(a[0])),
        ["AND"] = (1, 255, (e, a) => Logical(e, a, all: true)),
        ["OR"] = (1, 255, (e, a) => Logical(e, a, all: false)),
        ["NOT"] = (1, 1, (e, a) => Coerce.ToBool(e.Scalar(a[0])) is bool b ? !b : Coerce.ToBool(e.Scalar(a[0]))),
        ["ROUND"] = (1, 2, (e, a) => Round(e, a, MidpointRounding.AwayFromZero)),
        ["ROUNDUP"] = (1, 2, (e, a) => Round(e, a, MidpointRounding.AwayFromZero, direction: 1)),
        ["ROUNDDOWN"] = (1, 2, (e, a) => Round(e, a, MidpointRounding.AwayFromZero, direction: -1)),
        ["ABS"] = (1, 1, (e, a) => Num(e, a[0]) is double x ? Math.Abs(x) : Num(e, a[0])),
        ["INT"] = (1, 1, (e, a) => Num(e, a[0]) is double x ? Math.Floor(x) : Num(e, a[0])),
        ["MOD"] = (2, 2, (e, a) => Num(e, a[0]) is double x && Num(e, a[1]) is double y
            ? (y == 0 ? FormulaError.DivideByZero : x - y * Math.Floor(x / y)) : FirstError(Num(e, a[0]), Num(e, a[1]))),
        ["VALUE"] = (1, 1, (e, a) => Coerce.ToNumber(e.Scalar(a[0]))),
        ["VLOOKUP"] = (3, 4, Lookup.VLookup),
        ["INDEX"] = (2, 3, Lookup.Index),
        ["MATCH"] = (2, 3, Lookup.Match),
        ["LEFT"] = (1, 2, (e, a) => Text(e, a[0], a.Count > 1 ? a[1] : null, (s, n) => s[..Math.Min(s.Length, n)])),
        ["RIGHT"] = (1, 2, (e, a) => Text(e, a[0], a.Count > 1 ? a[1] : null, (s, n) => s[Math.Max(0, s.Length - n)..])),
        ["MID"] = (3, 3, Mid),
        ["LEN"] = (1, 1, (e, a) => Str(e, a[0]) is string s ? (double)s.Length : Str(e, a[0])),
        ["UPPER"] = (1, 1, (e, a) => Str(e, a[0]) is string s ? s.ToUpperInvariant() : Str(e, a[0])),
        ["LOWER"] = (1, 1, (e, a) => Str(e, a[0]) is string s ? s.ToLowerInvariant() : Str(e, a[0])),
        ["TRIM"] = (1, 1, (e, a) => Str(e, a[0]) is string s ? string.Join(' ', s.Split(' ', StringSplitOptions.RemoveEmptyEntries)) : Str(e, a[0])),
        ["CONCAT"] = (1, 255, (e, a) => Concat(e, a, flattenRanges: true)),
        ["CONCATENATE"] = (1, 255, (e, a) => Concat(e, a, flattenRanges: false)),
    };

    /// <summary>Every function name the evaluator implements.</summary>
    public static IReadOnlyCollection<string> Names => Table.Keys;

    internal static object? Call(FormulaEvaluator e, CallNode call)
    {
        var name = call.Name.StartsWith("_XLFN.", StringComparison.Ordinal) ? call.Name[6..] : call.Name;
        if (!Table.TryGetValue(name, out var f)) return FormulaError.Name;
        if (call.Arguments.Count < f.Min || call.Arguments.Count > f.Max) return FormulaError.Value;
        return f.Run(e, call.Arguments);
    }

    internal static bool IsReference(FormulaNode n) => n is CellNode or RangeNode;

    internal static IEnumerable<object?> Cells(FormulaEvaluator e, FormulaNode n) => e.AsRange(n) switch
    {
        RangeValue r => r.All(),
        var err => [err],
    };

    internal static object? FirstError(params object?[] values) => values.FirstOrDefault(v => v is FormulaError) ?? FormulaError.Value;

    static object Num(FormulaEvaluator e, FormulaNode n) => Coerce.ToNumber(e.Scalar(n));
    static object Str(FormulaEvaluator e, FormulaNode n) => Coerce.ToText(e.Scalar(n));

    /// <summary>Numbers of the arguments: from references only numeric cells; direct arguments coerced. An error wins.</summary>
    static object Numbers(FormulaEvaluator e, IReadOnlyList<FormulaNode> args)
    {
        var xs = new List<double>();
        foreach (var n in args)
        {
            if (IsReference(n) || e.Value(n) is RangeValue)
            {
                foreach (var v in Cells(e, n))
                {
                    if (v is FormulaError err) return err;
                    if (v is double d) xs.Add(d);
                }
                continue;
            }
            var x = Coerce.ToNumber(e.Scalar(n));
            if (x is double dd) xs.Add(dd); else return x;
        }
        return xs;
    }

    static double Median(List<double> xs)
    {
        var s = xs.OrderBy(x => x).ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }

    static object Average(List<double> xs) => xs.Count == 0 ? FormulaError.DivideByZero : xs.Average();

    static object? Nth(FormulaEvaluator e, IReadOnlyList<FormulaNode> a, bool largest)
    {
        if (Numbers(e, [a[0]]) is not List<double> xs) return Numbers(e, [a[0]]);
        if (Num(e, a[1]) is not double k) return Num(e, a[1]);
        int i = (int)Math.Ceiling(k);
        if (i < 1 || i > xs.Count) return FormulaError.Number;
        var sorted = largest ? xs.OrderByDescending(x => x).ToList() : xs.OrderBy(x => x).ToList();
        return sorted[i - 1];
    }

    static List<(FormulaNode Range, FormulaNode Criterion)> Pairs(IReadOnlyList<FormulaNode> a, int start)
    {
        var pairs = new List<(FormulaNode, FormulaNode)>();
        for (int i = start; i + 1 < a.Count; i += 2) pairs.Add((a[i], a[i + 1]));
        return (a.Count - start) % 2 == 0 ? pairs : [];
    }

    /// <summary>Which cells (row-major) of equally shaped ranges satisfy every criterion; null when shapes differ.</summary>
    static object Mask(FormulaEvaluator e, List<(FormulaNode Range, FormulaNode Criterion)> pairs, int rows, int cols)
    {
        if (pairs.Count == 0) return FormulaError.Value;
        var mask = Enumerable.Repeat(true, rows * cols).ToArray();
        foreach (var (rangeNode, criterionNode) in pairs)
        {
            if (e.AsRange(rangeNode) is not RangeValue r) return e.AsRange(rangeNode);
            if (r.Rows != rows || r.Columns != cols) return FormulaError.Value;
            var c = e.Scalar(criterionNode);
            if (c is FormulaError) return c;
            var criterion = Criterion.From(c);
            int i = 0;
            foreach (var v in r.All()) { if (!criterion.Matches(v)) mask[i] = false; i++; }
        }
        return mask;
    }

    static object? Conditional(FormulaEvaluator e, FormulaNode valuesNode, List<(FormulaNode, FormulaNode)> pairs, Func<List<double>, object> reduce)
    {
        if (e.AsRange(valuesNode) is not RangeValue values) return e.AsRange(valuesNode);
        if (Mask(e, pairs, values.Rows, values.Columns) is not bool[] mask) return Mask(e, pairs, values.Rows, values.Columns);
        var xs = new List<double>();
        int i = 0;
        foreach (var v in values.All()) { if (mask[i++] && v is double d) xs.Add(d); }
        return reduce(xs);
    }

    static object? CountIfs(FormulaEvaluator e, List<(FormulaNode Range, FormulaNode Criterion)> pairs)
    {
        if (pairs.Count == 0) return FormulaError.Value;
        if (e.AsRange(pairs[0].Range) is not RangeValue first) return e.AsRange(pairs[0].Range);
        var mask = Mask(e, pairs, first.Rows, first.Columns);
        return mask is bool[] m ? (double)m.Count(x => x) : mask;
    }

    static object? SumProduct(FormulaEvaluator e, IReadOnlyList<FormulaNode> a)
    {
        var ranges = a.Select(e.AsRange).ToList();
        if (ranges.FirstOrDefault(r => r is not RangeValue) is { } err) return err;
        var rs = ranges.Cast<RangeValue>().ToList();
        if (rs.Any(r => r.Rows != rs[0].Rows || r.Columns != rs[0].Columns)) return FormulaError.Value;
        var cells = rs.Select(r => r.All().ToArray()).ToList();
        double total = 0;
        for (int i = 0; i < cells[0].Length; i++)
            total += cells.Aggregate(1.0, (p, c) => p * (c[i] is double d ? d : c[i] is bool b ? (b ? 1 : 0) : 0));
        return total;
    }

    static object? Ifs(FormulaEvaluator e, IReadOnlyList<FormulaNode> a)
    {
        if (a.Count % 2 != 0) return FormulaError.Value;
        for (int i = 0; i < a.Count; i += 2)
        {
            var c = Coerce.ToBool(e.Scalar(a[i]));
            if (c is FormulaError) return c;
            if (c is true) return e.Value(a[i + 1]);
        }
        return FormulaError.NotAvailable;
    }

    static object? Logical(FormulaEvaluator e, IReadOnlyList<FormulaNode> a, bool all)
    {
        var values = new List<bool>();
        foreach (var n in a)
        {
            if (IsReference(n))
            {
                foreach (var v in Cells(e, n))
                {
                    if (v is FormulaError) return v;
                    if (v is bool b) values.Add(b); else if (v is double d) values.Add(d != 0);
                }
                continue;
            }
            var x = Coerce.ToBool(e.Scalar(n));
            if (x is bool bb) values.Add(bb); else return x;
        }
        if (values.Count == 0) return FormulaError.Value;
        return all ? values.All(v => v) : values.Any(v => v);
    }

    static object? Round(FormulaEvaluator e, IReadOnlyList<FormulaNode> a, MidpointRounding mode, int direction = 0)
    {
        if (Num(e, a[0]) is not double x) return Num(e, a[0]);
        object digitsValue = a.Count > 1 ? Num(e, a[1]) : 0.0;
        if (digitsValue is not double dv) return digitsValue;
        int digits = (int)Math.Truncate(dv);
        if (Math.Abs(x) >= 7.9e27 || digits > 15) return x;
        // decimal arithmetic so that ROUND(2.675, 2) is 2.68, as Excel shows it, not 2.67 from the binary double.
        decimal scale = (decimal)Math.Pow(10, Math.Abs(digits));
        decimal m = (decimal)x;
        decimal scaled = digits >= 0 ? m * scale : m / scale;
        decimal rounded = direction switch
        {
            1 => Math.Sign(scaled) * Math.Ceiling(Math.Abs(scaled)),
            -1 => Math.Sign(scaled) * Math.Floor(Math.Abs(scaled)),
            _ => Math.Round(scaled, 0, mode),
        };
        return (double)(digits >= 0 ? rounded / scale : rounded * scale);
    }

    static object? Text(FormulaEvaluator e, FormulaNode textNode, FormulaNode? countNode, Func<string, int, string> take)
    {
        if (Str(e, textNode) is not string s) return Str(e, textNode);
        object count = countNode is null ? 1.0 : Num(e, countNode);
        if (count is not double n) return count;
        return n < 0 ? FormulaError.Value : take(s, (int)n);
    }

    static object? Mid(FormulaEvaluator e, IReadOnlyList<FormulaNode> a)
    {
        if (Str(e, a[0]) is not string s) return Str(e, a[0]);
        if (Num(e, a[1]) is not double start) return Num(e, a[1]);
        if (Num(e, a[2]) is not double count) return Num(e, a[2]);
        if (start < 1 || count < 0) return FormulaError.Value;
        int from = (int)start - 1;
        return from >= s.Length ? "" : s.Substring(from, Math.Min((int)count, s.Length - from));
    }

    static object? Concat(FormulaEvaluator e, IReadOnlyList<FormulaNode> a, bool flattenRanges)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var n in a)
        {
            IEnumerable<object?> parts = flattenRanges && n is RangeNode ? Cells(e, n) : [e.Scalar(n)];
            foreach (var p in parts)
            {
                var t = Coerce.ToText(p);
                if (t is not string s) return t;
                sb.Append(s);
            }
        }
        return sb.ToString();
    }
}
