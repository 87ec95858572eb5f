using System.Diagnostics.CodeAnalysis;

namespace GitOps.Agent.Render;

/// <summary>
/// Values by key, least recently used first out, bounded by the sum of their sizes. A value larger
/// than the whole bound is not kept. Thread-safe. The render cache and the chart package cache
/// are this with their own keys and sizes (bytes); the render shortcuts count entries (size 1).
/// </summary>
internal sealed class SizedLru<TValue>(long maxBytes, Func<TValue, long> sizeOf)
{
    private readonly Lock gate = new();
    private readonly LinkedList<(string Key, TValue Value, long Size)> order = new();
    private readonly Dictionary<string, LinkedListNode<(string Key, TValue Value, long Size)>> entries = new(StringComparer.Ordinal);
    private long bytes;

    public int Count
    {
        get
        {
            lock (gate)
            {
                return entries.Count;
            }
        }
    }

    public bool TryGet(string key, [MaybeNullWhen(false)] out TValue value)
    {
        lock (gate)
        {
            if (entries.TryGetValue(key, out var node))
            {
                order.Remove(node);
                order.AddFirst(node);
                value = node.Value.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    public void Put(string key, TValue value)
    {
        var size = sizeOf(value);
        if (size > maxBytes)
        {
            return;
        }

        lock (gate)
        {
            if (entries.Remove(key, out var old))
            {
                order.Remove(old);
                bytes -= old.Value.Size;
            }

            entries[key] = order.AddFirst((key, value, size));
            bytes += size;
            while (bytes > maxBytes && order.Last is { } last)
            {
                order.RemoveLast();
                entries.Remove(last.Value.Key);
                bytes -= last.Value.Size;
            }
        }
    }
}
