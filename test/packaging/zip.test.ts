// The zip writer used for the provider archive: CRC-32, deflate, and unix mode bits that keep the
// executable bit. Checked by reading the archive back here and, when python3 is present, by
// Python's zipfile module as an independent reader.
import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { crc32, createZip } from "../../scripts/zip.mjs";
import { readZip, type ZipEntryInfo } from "./support.ts";

describe("zip writer", () => {
  it("computes the standard CRC-32", () => {
    expect(crc32(Buffer.from("123456789"))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
    expect(crc32(Buffer.from("The quick brown fox jumps over the lazy dog"))).toBe(0x414fa339);
  });

  it("writes deflated and stored entries with their CRC, sizes and unix modes", () => {
    const executable = Buffer.from("#!/bin/sh\necho hello\n".repeat(200));
    const random = Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 151 + 7) % 256));
    const entries = readZip(
      createZip([
        { name: "terraform-provider-aws_v0.1.0", data: executable, mode: 0o755 },
        { name: "notes.txt", data: random },
      ]),
    );
    expect(entries.map((e) => e.name)).toEqual(["terraform-provider-aws_v0.1.0", "notes.txt"]);
    const [exe, notes] = entries as [ZipEntryInfo, ZipEntryInfo];
    expect(exe.host).toBe(3); // UNIX
    expect(exe.mode).toBe(0o100755);
    expect(exe.method).toBe(8);
    expect(exe.data.equals(executable)).toBe(true);
    expect(exe.crc).toBe(crc32(executable));
    expect(notes.mode).toBe(0o100644);
    expect(notes.method).toBe(0); // deflate would not make it smaller
    expect(notes.data.equals(random)).toBe(true);
  });

  it("is read back by an independent zip reader (Python's zipfile) with the executable bit", async (t) => {
    if (spawnSync("python3", ["--version"]).status !== 0) t.skip("python3 is not installed");
    const dir = await mkdtemp(join(tmpdir(), "zip-test-"));
    try {
      const file = join(dir, "a.zip");
      await writeFile(
        file,
        createZip([
          { name: "bin/tool", data: Buffer.from("x".repeat(5000)), mode: 0o755 },
          { name: "empty", data: Buffer.alloc(0) },
        ]),
      );
      const script = [
        "import sys, zipfile",
        "z = zipfile.ZipFile(sys.argv[1])",
        "assert z.testzip() is None",
        "for i in z.infolist(): print(i.filename, oct(i.external_attr >> 16), i.create_system, i.file_size)",
      ].join("\n");
      const r = spawnSync("python3", ["-c", script, file], { encoding: "utf8" });
      expect(r.stderr).toBe("");
      expect(r.stdout.trim().split("\n")).toEqual(["bin/tool 0o100755 3 5000", "empty 0o100644 3 0"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
