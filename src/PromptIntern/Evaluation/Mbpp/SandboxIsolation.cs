namespace PromptIntern.Evaluation.Mbpp;

/// <summary>How programs are isolated. <c>UnshareAsRoot</c>: new mount/net/pid/ipc/uts namespaces, file system read-only
/// but the temp dir, then the program runs as an unprivileged uid with no capabilities. <c>UnshareUserNamespace</c>: the
/// same inside a user namespace, for non-root users. <c>Bubblewrap</c>: bwrap --unshare-all with / bound read-only.
/// <c>None</c>: rlimits and a scrubbed environment only (needs <see cref="SandboxOptions.UnsafeNoIsolation"/>).</summary>
public enum SandboxIsolation { UnshareAsRoot, UnshareUserNamespace, Bubblewrap, None }
