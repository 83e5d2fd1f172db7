import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Acceptance cases run several Terraform commands each; on a busy two-core machine one can
    // take minutes.
    testTimeout: 300_000,
    hookTimeout: 120_000,
    // Acceptance suites each start Terraform many times; two cores fit two at a time.
    maxWorkers: 2,
    reporters: ["default"],
  },
});
