using GitOps.Agent.Cli;

return await GitOpsCommand.RunAsync(args);
