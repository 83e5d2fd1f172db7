/**
 * Which of V8's optimising compilers a provider process keeps once it has started.
 *
 * On Node 26 (the single executable) most of an apply's private memory beyond the JS heap was the
 * compilers': their background threads' malloc arenas keep what a compile job freed, and
 * Turbofan's jobs are the large ones. An apply of 1,000 credentials peaked at 106–112 MB. With
 * compiles on the main thread (--no-concurrent-recompilation, on the executable's command line)
 * and Turbofan off it peaked at 89 MB, with Maglev still compiling the hot code and plans as
 * fast (3.8–3.9 s against 3.6–4.1 s). Turbofan on the main thread instead made plans 10–15 %
 * slower; Turbofan off with background threads still saved too little (97–106 MB).
 *
 * Turbofan is switched off at run time, a second after start-up (src/main.ts), because --no-opt
 * on the command line changes V8's flag hash, and with it every start loses the built-in
 * modules' code cache (12 ms of a 40 ms start); set straight after start-up, it cost the modules
 * the first connection and the first AWS call load theirs (first schema reply 66 → 79 ms). With
 * the second's delay the apply peaked at 93–94 MB. --no-concurrent-recompilation does not, and has to be on the command
 * line: V8 reads it when it creates the isolate.
 *
 * A process whose compiles run in the background (the launcher on Node 20, which has no Maglev
 * to fall back on) keeps Turbofan.
 */

const MAIN_THREAD_COMPILES = "--no-concurrent-recompilation";
const TURBOFAN_FLAGS = ["--opt", "--no-opt", "--turbofan", "--no-turbofan"];
const TURBOFAN_OFF = "--no-opt";

/** The flags limitCompilerTiers would set in a process started with these options. */
export function compilerTierFlags(execArgv: readonly string[], nodeOptions: string): string[] {
  if (!execArgv.includes(MAIN_THREAD_COMPILES)) return [];
  // Someone who names Turbofan in NODE_OPTIONS (to profile, say) gets what they named.
  if (nodeOptions.split(/\s+/).some((a) => TURBOFAN_FLAGS.includes(a))) return [];
  return [TURBOFAN_OFF];
}

/** Returns the flags it set. */
export function limitCompilerTiers(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ""): string[] {
  const flags = compilerTierFlags(execArgv, nodeOptions);
  if (flags.length > 0) process.getBuiltinModule("node:v8").setFlagsFromString(flags.join(" "));
  return flags;
}
