/** The acceptance-test harness: real Terraform, dev_overrides, steps, and target selection. */
export * from "./terraform-cli.ts";
export * from "./acceptance-target.ts";
export * from "./acceptance-test.ts";
export * from "./destroy-check.ts";
export * from "./test-names.ts";
