namespace GitOps.PodSimulator;

/// <summary>What the simulator is told on its command line, and the annotations it reads from pods.</summary>
internal sealed record SimOptions(string Kubeconfig, string NodeName)
{
    /// <summary>Seconds from Running until a long-running pod's containers are Ready (default 0).</summary>
    public const string ReadySeconds = "sim.gitops.dev/ready-seconds";

    /// <summary>Seconds a pod that ends (restartPolicy Never or OnFailure) runs (default 1).</summary>
    public const string RunSeconds = "sim.gitops.dev/run-seconds";

    /// <summary>The exit code such a pod ends with (default 0; non-zero: reason Error).</summary>
    public const string ExitCode = "sim.gitops.dev/exit-code";

    /// <summary>How often the Node's Ready heartbeat and Lease are renewed (the controller waits 40 s).</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(10);

    /// <summary>How long a loop waits after a failed request before it lists again.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    public static SimOptions Parse(string[] args)
    {
        string? kubeconfig = null;
        var node = "gitops-sim-node";
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--kubeconfig": kubeconfig = args[i + 1]; break;
                case "--node": node = args[i + 1]; break;
                default: throw new ArgumentException($"unknown option {args[i]}; usage: gitops-podsim --kubeconfig FILE [--node NAME]");
            }
        }

        return new SimOptions(kubeconfig ?? Environment.GetEnvironmentVariable("KUBECONFIG")
            ?? throw new ArgumentException("usage: gitops-podsim --kubeconfig FILE [--node NAME]"), node);
    }
}
