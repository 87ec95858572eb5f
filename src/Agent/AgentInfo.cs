using System.Reflection;

namespace GitOps.Agent;

/// <summary>The agent's name and version, as statuses, tooling annotations and --version show them.</summary>
internal static class AgentInfo
{
    public static string Version { get; } =
        typeof(AgentInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
