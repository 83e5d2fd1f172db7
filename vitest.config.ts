import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Acceptance suites each start Terraform many times; two cores fit two at a time.
    maxWorkers: 2,
    reporters: ["default"],
  },
});
