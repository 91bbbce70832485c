using Xunit;
using PromptIntern.Absorption;
using PromptIntern.Data;

namespace PromptIntern.Tests.Absorption;

public class FixedShotsRetrieverTests
{
    static TaskExample Row(string id, string query) => new(id, query, "a");

    [Fact]
    public void Retrieve_ReturnsTheFirstKShots_InOrder_ForAnyQuery()
    {
        var r = new FixedShotsRetriever([Row("mbpp-1", "one"), Row("mbpp-2", "two"), Row("mbpp-3", "three"), Row("mbpp-4", "four")]);
        Assert.Equal(["mbpp-1", "mbpp-2", "mbpp-3"], r.Retrieve(Row("q", "anything"), 3).Select(h => h.Example.Id));
        Assert.Equal(["mbpp-1", "mbpp-2", "mbpp-3"], r.Retrieve(Row("q2", "else"), 3).Select(h => h.Example.Id));
    }

    [Fact]
    public void Retrieve_SkipsTheQueryItself()
    {
        var r = new FixedShotsRetriever([Row("mbpp-1", "one"), Row("mbpp-2", "two"), Row("mbpp-3", "three"), Row("mbpp-4", "four")]);
        Assert.Equal(["mbpp-1", "mbpp-3", "mbpp-4"], r.Retrieve(Row("mbpp-2", "two"), 3).Select(h => h.Example.Id));
        Assert.Equal(["mbpp-2", "mbpp-3"], r.Retrieve(Row("other", "one"), 2).Select(h => h.Example.Id));
    }
}
