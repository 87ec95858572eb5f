using System.Runtime.InteropServices;

namespace GitOps.Agent.Hosting;

/// <summary>
/// glibc's allocator, which libgit2, OpenSSL and the runtime's own native parts share. It keeps
/// what they freed: 1,000 targets' first sync left ~50 MB free inside its arenas (malloc_info),
/// resident until <c>malloc_trim</c>, and each thread that allocates may get an arena of its own
/// (64 MB reserved each, 8 per core) unless <c>MALLOC_ARENA_MAX</c> says otherwise. Elsewhere (musl,
/// another OS) both calls do nothing.
/// </summary>
internal static class NativeHeap
{
    private const int ArenaMaxOption = -8; // M_ARENA_MAX in glibc's malloc.h
    private static bool unavailable = !OperatingSystem.IsLinux();

    /// <summary>Gives free pages of every arena back to the system; false when this libc has no malloc_trim.</summary>
    public static bool Trim() => Call(() => MallocTrim(0) >= 0);

    /// <summary>
    /// Caps the arenas, as <c>MALLOC_ARENA_MAX</c> would, unless that variable is set (the operator
    /// chose). Arenas made before the call stay; the agent calls it first thing.
    /// </summary>
    public static bool LimitArenas(int arenas) =>
        Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is null && Call(() => Mallopt(ArenaMaxOption, arenas) == 1);

    private static bool Call(Func<bool> call)
    {
        if (unavailable)
        {
            return false;
        }

        try
        {
            return call();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            unavailable = true; // not glibc
            return false;
        }
    }

    [DllImport("libc.so.6", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);

    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    private static extern int Mallopt(int param, int value);
}
