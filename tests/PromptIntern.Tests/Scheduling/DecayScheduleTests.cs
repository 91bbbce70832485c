using Xunit;
using PromptIntern.Scheduling;

namespace PromptIntern.Tests.Scheduling;

public class DecayScheduleTests
{
    public static TheoryData<DecayShape> DecayingShapes => new() { DecayShape.Linear, DecayShape.Exponential, DecayShape.InverseExponential, DecayShape.Step };

    [Theory]
    [MemberData(nameof(DecayingShapes))]
    public void Value_HitsBothEndPoints(DecayShape shape)
    {
        Assert.Equal(1.0, DecaySchedule.Value(shape, 1.0, 0.3, 0));
        Assert.Equal(0.3, DecaySchedule.Value(shape, 1.0, 0.3, 1));
        Assert.Equal(3.0, DecaySchedule.Value(shape, 3, 0, 0));
        Assert.Equal(0.0, DecaySchedule.Value(shape, 3, 0, 1));
    }

    [Theory]
    [MemberData(nameof(DecayingShapes))]
    [InlineData(DecayShape.None)]
    public void Value_IsMonotone(DecayShape shape)
    {
        var values = Enumerable.Range(0, 101).Select(i => DecaySchedule.Value(shape, 1.0, 0.0, i / 100.0)).ToArray();
        for (int i = 1; i < values.Length; i++) Assert.True(values[i] <= values[i - 1], $"{shape} rises at t={i / 100.0}");
        var rising = Enumerable.Range(0, 101).Select(i => DecaySchedule.Progress(shape, i / 100.0)).ToArray();
        for (int i = 1; i < rising.Length; i++) Assert.True(rising[i] >= rising[i - 1]);
    }

    [Fact]
    public void None_StaysAtTheStartValue()
    {
        foreach (var t in new[] { 0.0, 0.5, 1.0 }) Assert.Equal(0.8, DecaySchedule.Value(DecayShape.None, 0.8, 0.0, t));
    }

    [Fact]
    public void Shapes_DifferWhereTheyShould()
    {
        double lin = DecaySchedule.Value(DecayShape.Linear, 1, 0, 0.5);
        Assert.Equal(0.5, lin, 12);
        Assert.True(DecaySchedule.Value(DecayShape.Exponential, 1, 0, 0.5) < lin, "exponential removes most early");
        Assert.True(DecaySchedule.Value(DecayShape.InverseExponential, 1, 0, 0.5) > lin, "inverse-exponential removes most late");
        Assert.Equal(1.0, DecaySchedule.Value(DecayShape.Step, 1, 0, 0.49));
        Assert.Equal(0.0, DecaySchedule.Value(DecayShape.Step, 1, 0, 0.5));
    }

    [Fact]
    public void StageProgress_SpreadsStagesFromZeroToOne_SingleStageIsTheEnd()
    {
        Assert.Equal([0, 1 / 3.0, 2 / 3.0, 1], Enumerable.Range(0, 4).Select(i => DecaySchedule.StageProgress(i, 4)));
        Assert.Equal(1, DecaySchedule.StageProgress(0, 1));
    }

    [Theory]
    [InlineData("linear", DecayShape.Linear)]
    [InlineData("exp", DecayShape.Exponential)]
    [InlineData("inverse-exponential", DecayShape.InverseExponential)]
    [InlineData("inv-exp", DecayShape.InverseExponential)]
    [InlineData("Step", DecayShape.Step)]
    [InlineData("constant", DecayShape.None)]
    public void Parse_AcceptsNamesAndAliases(string name, DecayShape shape)
    {
        Assert.Equal(shape, DecaySchedule.Parse(name));
        Assert.Equal(shape, DecaySchedule.Parse(DecaySchedule.ToName(shape)));
    }

    [Fact]
    public void Progress_RejectsOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DecaySchedule.Progress(DecayShape.Linear, 1.5));
        Assert.Throws<ArgumentException>(() => DecaySchedule.Parse("cosine"));
    }
}
