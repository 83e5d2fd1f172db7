import { defineConfig } from "vitest/config";

// `npm run test:scale`: the large runs of test/reliability/*.scale.ts, kept out of `npm test`.
export default defineConfig({
  test: {
    include: ["test/reliability/**/*.scale.ts"],
    testTimeout: 900_000,
    hookTimeout: 60_000,
    maxWorkers: 1,
    reporters: ["default"],
  },
});
