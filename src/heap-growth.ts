/**
 * Keeps a provider process's heap small without heap flags on its command line.
 *
 * A provider holds little between calls, so its heap is mostly short-lived garbage, and V8
 * sizes for throughput under that load: it grows the young generation towards 32 MB, and lets
 * the old generation fill with garbage well past what is live before it collects. An apply of
 * 1,000 credentials peaked at 122 MB with neither limited, 97 MB with the young generation held
 * (its old generation at 36 MB, 11 MB of it live) and 76 MB with both.
 *
 * On Node 20 any V8 flag on the command line costs every start ~20 ms, because the built-in
 * modules' code cache no longer matches V8's flags. So the launcher passes none, and this sets
 * the limits once start-up is done (handshake sent, implementation loaded): V8 reads the young
 * generation's growth factor each time it would grow it, and the old generation's each time it
 * sets the next limit after a full collection. Not earlier, because a flag set at run time also
 * stops V8 taking the code cache of built-in modules loaded after it. Node leaves the effect of
 * a flag changed after start unspecified; these only ever read as "grow less".
 *
 * A process started with heap flags of its own on its command line is left as it is: the single
 * executable carries its limits there (scripts/package.mjs), which cost Node 26 ~1 ms. A
 * semi-space limit in NODE_OPTIONS is kept too; a global --max-old-space-size there is a cap,
 * not a growth rate, and changes nothing here.
 */

const HEAP_FLAGS = ["--max-semi-space-size", "--semi-space-growth-factor", "--max-old-space-size", "--heap-growing-percent", "--max-heap-size"];
const YOUNG_GENERATION_FLAGS = ["--max-semi-space-size", "--semi-space-growth-factor"];

/** After each full collection, the old generation may grow by this much (V8 picks up to 4× alone). */
const OLD_GENERATION_GROWTH = "--heap-growing-percent=25";
const YOUNG_GENERATION_GROWTH = "--semi-space-growth-factor=1";

/** The flags limitHeapGrowth would set in a process started with these options. */
export function heapGrowthFlags(execArgv: readonly string[], nodeOptions: string): string[] {
  const among = (args: readonly string[], names: readonly string[]) => args.some((a) => names.some((n) => a === n || a.startsWith(`${n}=`)));
  if (among(execArgv, HEAP_FLAGS)) return [];
  const fromEnv = nodeOptions.split(/\s+/);
  return [...(among(fromEnv, YOUNG_GENERATION_FLAGS) ? [] : [YOUNG_GENERATION_GROWTH]), OLD_GENERATION_GROWTH];
}

/** Returns the flags it set. */
export function limitHeapGrowth(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ""): string[] {
  const flags = heapGrowthFlags(execArgv, nodeOptions);
  // Loaded here, not at start-up, which does not need it.
  if (flags.length > 0) process.getBuiltinModule("node:v8").setFlagsFromString(flags.join(" "));
  return flags;
}
