using GitOps.Agent.Cli;

return await GitOpsCommand.Build().Parse(args).InvokeAsync().ConfigureAwait(false);
