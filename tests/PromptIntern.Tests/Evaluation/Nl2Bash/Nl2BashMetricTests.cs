using PromptIntern.Data;
using PromptIntern.Evaluation;
using PromptIntern.Evaluation.Nl2Bash;
using Xunit;

namespace PromptIntern.Tests.Evaluation.Nl2Bash;

public sealed class Nl2BashMetricTests
{
    static IReadOnlyList<string> T(string s) => BashTokens.Split(s);

    [Fact]
    public void Tokens_SplitShellPunctuation_ButKeepPathsAndFlags()
    {
        Assert.Equal(["ls", "-la", "/var/log", "|", "grep", "'", "x", "y", "'"], T("ls -la /var/log|grep 'x y'"));
        Assert.Equal(["a", "=", "$", "(", "pwd", ")"], T("a=$(pwd)"));
    }

    [Fact]
    public void SentenceBleu_MatchesHandComputedValue()
    {
        // hyp find . -name foo / ref find . -name bar: p1 = 3/4, p2 = 2/3, p3 = 1/2, p4 = 0/1 -> "exp" smoothing 1/(2*1) = 1/2.
        // BLEU = (3/4 * 2/3 * 1/2 * 1/2)^(1/4) = 0.125^0.25 = 0.594604; BP = 1 (equal lengths).
        Assert.Equal(59.4604, Bleu.Sentence(T("find . -name foo"), T("find . -name bar")), 3);
        // hyp ls / ref ls -l: effective order 1, p1 = 1, BP = exp(1 - 2/1) = 0.367879.
        Assert.Equal(36.7879, Bleu.Sentence(T("ls"), T("ls -l")), 3);
        Assert.Equal(100, Bleu.Sentence(T("tar -xzf a.tgz"), T("tar -xzf a.tgz")), 9);
        Assert.Equal(0, Bleu.Sentence(T(""), T("ls")));
    }

    [Fact]
    public void CorpusBleu_SumsStatistics_BeforeScoring()
    {
        // Pair 1 as above; pair 2 identical 4-token commands. Summed: p1 = 7/8, p2 = 5/6, p3 = 3/4, p4 = 1/2, lengths 8 = 8.
        // BLEU = (7/8 * 5/6 * 3/4 * 1/2)^(1/4) = 0.2734375^0.25 = 0.723127.
        var pairs = new[] { (T("find . -name foo"), T("find . -name bar")), (T("grep -r foo /var/log"), T("grep -r foo /var/log")) };
        Assert.Equal(72.3127, Bleu.Corpus(pairs), 3);
        // Without smoothing, a corpus with no 4-gram match scores 0 (as nltk corpus_bleu).
        Assert.Equal(0, Bleu.Corpus([(T("find . -name foo"), T("find . -name bar"))]));
    }

    [Fact]
    public void CorpusBleu_AppliesBrevityPenalty()
    {
        // hyp 4 tokens, ref 8 tokens, all hyp n-grams match: BLEU = exp(1 - 8/4) = 36.79.
        Assert.Equal(36.7879, Bleu.Corpus([(T("a b c d"), T("a b c d e f g h"))]), 3);
    }

    [Theory]
    [InlineData("find . -name \"*.txt\" | xargs grep foo", "find ARG -name ARG | xargs grep ARG")]
    [InlineData("find /tmp -type f -exec rm {} \\;", "find ARG -type ARG -exec rm ARG ARG")]
    [InlineData("ls -l | wc -l > count.txt", "ls -l | wc -l > ARG")]
    [InlineData("grep --include=*.py -rn TODO .", "grep --include=ARG -rn ARG ARG")]
    [InlineData("cat $(ls) 2>&1 | sort -u", "cat $( ls ) 2>&1 | sort -u")]
    public void Template_AbstractsArguments_KeepsUtilitiesFlagsOperators(string command, string template)
    {
        Assert.Equal(template, CommandTemplate.Of(command));
    }

    [Fact]
    public void Metric_ScoresReferenceAgainstItself_At100()
    {
        var refs = new[] { new TaskExample("a", "q", "find . -name '*.c' | xargs wc -l"), new TaskExample("b", "q", "tar -czf out.tgz dir/") };
        var report = TaskMetrics.For("nl2bash").Score(refs, refs.Select(r => r.Answer).ToList());
        Assert.Equal(100, report.Metrics["BLEU"], 9);
        Assert.Equal(100, report.Metrics["command_acc"]);
        Assert.Equal(100, report.Metrics["template_acc"]);
    }

    [Fact]
    public void Metric_CountsWhitespaceVariantsAsSameCommand_AndOtherArgumentsAsSameTemplate()
    {
        var refs = new[] { new TaskExample("a", "q", "ls -l | wc -l"), new TaskExample("b", "q", "find . -name '*.log' -delete"), new TaskExample("c", "q", "du -sh *") };
        var preds = new[] { "ls -l|wc   -l", "find /var -name '*.tmp' -delete", "df -h" };
        var report = new Nl2BashMetric().Score(refs, preds);
        Assert.Equal([1.0, 0, 0], report.Examples.Select(e => e.Scores["command_acc"]));
        Assert.Equal([1.0, 1, 0], report.Examples.Select(e => e.Scores["template_acc"]));
        Assert.Equal(100.0 / 3, report.Metrics["command_acc"], 9);
        Assert.Equal(200.0 / 3, report.Metrics["template_acc"], 9);
    }
}
