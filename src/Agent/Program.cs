using GitOps.Agent;
using GitOps.Agent.Cli;

PhaseClock.Mark("main");

return await GitOpsCommand.RunAsync(args);
