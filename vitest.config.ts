import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Acceptance cases run several Terraform commands each; on a busy two-core machine one can
    // take minutes.
    testTimeout: 300_000,
    hookTimeout: 120_000,
    // Three files at a time on two cores: acceptance cases wait on Terraform and on the
    // emulator's injected delays, and a third file fills those gaps (measured: 186 s with 2,
    // 181 s with 3; with isolate off, 174 s and 162 s).
    maxWorkers: 3,
    // Test files share a worker's module graph instead of each loading it afresh (vitest's
    // import phase: 14.5 s → 4 s). Every file passes this way; one that needed fresh module
    // state would get its own project with `isolate: true`.
    isolate: false,
    reporters: ["default"],
  },
});
