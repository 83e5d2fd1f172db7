/**
 * A pause that an abort signal ends early. Node's timer rejects with a generic AbortError;
 * this rejects with the signal's reason instead, so callers can say why the wait ended
 * (for instance "Terraform asked the provider to stop").
 */
import { setTimeout as wait } from "node:timers/promises";

export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await wait(ms, undefined, { signal });
  } catch (err) {
    throw signal?.aborted ? signal.reason : err;
  }
}
