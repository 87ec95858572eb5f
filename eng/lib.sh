# Shared by the eng/ scripts. Source it; do not run it.

# kubectl 1.33 ships beside the default kubectl in google-cloud-cli; ARCHITECTURE.md's facts
# were verified with it, so the scripts pin it when it is there.
kubectl_bin() {
  local pinned=/usr/lib/google-cloud-sdk/bin/kubectl.1.33
  if [ -x "$pinned" ]; then echo "$pinned"; else command -v kubectl; fi
}

# The .NET SDK is the one thing a machine must have; say so plainly when it is missing.
require_dotnet() {
  command -v dotnet >/dev/null || { echo "error: the .NET 10 SDK (dotnet) is required" >&2; exit 1; }
}
