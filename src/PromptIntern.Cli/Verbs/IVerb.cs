using System.CommandLine;

namespace PromptIntern.Cli.Verbs;

/// <summary>One top-level CLI verb. Program discovers every implementation, so adding a verb is adding a file.</summary>
public interface IVerb
{
    Command Build();
}
