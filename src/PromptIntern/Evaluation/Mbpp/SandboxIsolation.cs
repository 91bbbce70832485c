namespace PromptIntern.Evaluation.Mbpp;

/// <summary>How programs are isolated. <c>Namespaces</c>: fresh user, mount, pid, network, ipc and uts namespaces; the
/// program sees only /usr (read-only), a few device nodes, its own /proc and a size-limited private /tmp, has no
/// capabilities and cannot create namespaces. <c>None</c>: rlimits, a scrubbed environment and a host temp folder only
/// (needs <see cref="SandboxOptions.UnsafeNoIsolation"/>).</summary>
public enum SandboxIsolation { Namespaces, None }
