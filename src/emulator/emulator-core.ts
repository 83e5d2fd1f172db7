/**
 * Everything one emulator instance owns, shared by the Query endpoint and the control API.
 */
import { Clock } from "./clock.ts";
import { FaultRegistry } from "./faults.ts";
import { IamState, type EmulatorStateSnapshot } from "./iam-state.ts";
import type { Profile } from "./profiles.ts";

export class EmulatorCore {
  readonly state = new IamState();
  readonly clock = new Clock();
  readonly faults = new FaultRegistry();
  /** At most this many items per List page, below any MaxItems; undefined = as requested. */
  pageSizeLimit: number | undefined;

  constructor(
    readonly profile: Profile,
    readonly accountId: string,
    readonly strictAuth: boolean,
  ) {}

  snapshot(): EmulatorStateSnapshot {
    return this.state.snapshot({ profile: this.profile.name, accountId: this.accountId, now: this.clock.now() });
  }

  reset(): void {
    this.state.clear();
    this.faults.clear();
    this.clock.reset();
    this.pageSizeLimit = undefined;
  }
}
