/**
 * Keeps a provider process's young generation small without heap flags on its command line.
 * A provider holds no state between calls, so its heap is mostly short-lived garbage, and V8
 * grows the young generation towards 32 MB under that load (an apply of 1,000 credentials
 * peaked at 122 MB with it, 78 MB with a 2 MB semi-space). On Node 20 any V8 flag on the command
 * line costs every start ~20 ms, because the built-in modules' code cache no longer matches
 * V8's flags. So the launcher passes none, and this stops further growth once start-up is done
 * (handshake sent, implementation loaded): V8 reads the growth factor each time it would grow
 * the young generation. Not earlier, because a flag set at run time also stops V8 taking the
 * code cache of built-in modules loaded after it. Node leaves the effect of a flag changed
 * after start unspecified; this one only ever reads as "do not grow". A process started with a
 * semi-space limit of its own (on its command line or in NODE_OPTIONS) is left as it is; the
 * single executable keeps its flags, which cost Node 26 ~1 ms.
 */

/** Whether the process was started with its own limit on the young generation. */
export function youngGenerationConfigured(execArgv: readonly string[], nodeOptions: string): boolean {
  const given = (a: string) => a.startsWith("--max-semi-space-size") || a.startsWith("--semi-space-growth-factor");
  return execArgv.some(given) || nodeOptions.split(/\s+/).some(given);
}

/** Returns whether it changed anything. */
export function stopYoungGenerationGrowth(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ""): boolean {
  if (youngGenerationConfigured(execArgv, nodeOptions)) return false;
  // Loaded here, not at start-up, which does not need it.
  process.getBuiltinModule("node:v8").setFlagsFromString("--semi-space-growth-factor=1");
  return true;
}
