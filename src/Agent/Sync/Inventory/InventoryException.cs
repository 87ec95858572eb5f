namespace GitOps.Agent.Sync;

/// <summary>
/// An inventory that cannot be stored (its member list is over <see cref="InventoryOptions.MaxBytes"/>)
/// or read (its parent names parts that are gone or do not match the recorded digest). The
/// message names the ApplySet parent.
/// </summary>
internal sealed class InventoryException(string message) : Exception(message);
