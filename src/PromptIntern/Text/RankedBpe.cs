namespace PromptIntern.Text;

/// <summary>Byte-pair encoding of one pre-tokenized piece by merge rank, as tiktoken does it (repeatedly merge the adjacent
/// pair whose joined bytes have the lowest rank, the leftmost on a tie), in O(n log n): a heap of candidate pairs over a
/// linked list of parts, instead of rescanning every pair after each merge, which takes time quadratic in the piece's length
/// and hangs on a long run of letters or symbols.</summary>
public static class RankedBpe
{
    /// <summary>Appends the ids of <paramref name="piece"/> to <paramref name="ids"/>; every single byte must have a rank.
    /// Returns the number of merges made (work done; tests check it grows linearly).</summary>
    public static int Encode(byte[] piece, IReadOnlyDictionary<ReadOnlyMemory<byte>, int> ranks, List<int> ids)
    {
        int n = piece.Length;
        if (n == 0) return 0;
        // Parts are [start[i], start[next[i]]); a removed part has start -1. version[i] changes whenever part i grows.
        var next = new int[n];
        var prev = new int[n];
        var version = new int[n];
        for (int i = 0; i < n; i++) { next[i] = i + 1; prev[i] = i - 1; }
        int End(int i) => next[i];
        var heap = new PriorityQueue<(int Left, int LeftVersion, int RightVersion), (int Rank, int Left)>();
        void Push(int left)
        {
            if (left < 0 || next[left] >= n) return;
            int right = next[left];
            if (ranks.TryGetValue(new ReadOnlyMemory<byte>(piece, left, End(right) - left), out int rank))
                heap.Enqueue((left, version[left], version[right]), (rank, left));
        }
        for (int i = 0; i + 1 < n; i++) Push(i);

        int merges = 0;
        var removed = new bool[n];
        while (heap.TryDequeue(out var pair, out _))
        {
            int left = pair.Left;
            if (removed[left] || version[left] != pair.LeftVersion || next[left] >= n) continue;
            int right = next[left];
            if (version[right] != pair.RightVersion) continue;
            // Merge right into left.
            removed[right] = true;
            next[left] = next[right];
            if (next[right] < n) prev[next[right]] = left;
            version[left]++;
            merges++;
            Push(prev[left]);
            Push(left);
        }
        for (int i = 0; i < n; i = next[i])
            ids.Add(ranks[new ReadOnlyMemory<byte>(piece, i, next[i] - i)]);
        return merges;
    }
}
