// A small zip writer: enough for a Terraform provider archive, with no dependency.
//
// Each entry is deflated with node:zlib (or stored when deflating does not help), carries a
// CRC-32 computed here, and records "made by UNIX" with the file's mode in the high 16 bits of
// the external attributes, so that unzip tools, and Terraform's own installer, restore the
// executable bit. No ZIP64: entries and the archive must stay below 4 GiB.
import { deflateRawSync } from "node:zlib";

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE 802.3, the one zip and gzip use) of a buffer. */
export function crc32(data) {
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = CRC_TABLE[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** MS-DOS date and time fields (two-second resolution, local time as zip tools expect). */
function dosDateTime(date) {
  const year = Math.max(1980, date.getFullYear());
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

const LIMIT = 0xffffffff;
const VERSION_NEEDED = 20; // 2.0: deflate
const MADE_BY_UNIX = (3 << 8) | VERSION_NEEDED;
const FLAG_UTF8 = 0x0800;
const S_IFREG = 0o100000;

/**
 * Builds a zip archive in memory.
 * @param {{ name: string, data: Buffer, mode?: number, mtime?: Date }[]} entries
 *   `mode` is the permission bits (0o755 for an executable; default 0o644).
 * @param {{ level?: number }} [options] deflate level 0–9; 0 stores every entry.
 * @returns {Buffer}
 */
export function createZip(entries, options = {}) {
  const level = options.level ?? 9;
  const parts = [];
  const central = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, "utf8");
    if (entry.data.length >= LIMIT) throw new Error(`${entry.name} is too large for a zip without ZIP64`);
    const crc = crc32(entry.data);
    let method = 0;
    let body = entry.data;
    if (level > 0 && entry.data.length > 0) {
      const deflated = deflateRawSync(entry.data, { level });
      if (deflated.length < entry.data.length) {
        method = 8;
        body = deflated;
      }
    }
    const { time, date } = dosDateTime(entry.mtime ?? new Date());
    const mode = S_IFREG | ((entry.mode ?? 0o644) & 0o7777);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(VERSION_NEEDED, 4);
    local.writeUInt16LE(FLAG_UTF8, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);

    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(MADE_BY_UNIX, 4);
    header.writeUInt16LE(VERSION_NEEDED, 6);
    header.writeUInt16LE(FLAG_UTF8, 8);
    header.writeUInt16LE(method, 10);
    header.writeUInt16LE(time, 12);
    header.writeUInt16LE(date, 14);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(body.length, 20);
    header.writeUInt32LE(entry.data.length, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt16LE(0, 30); // extra field length
    header.writeUInt16LE(0, 32); // comment length
    header.writeUInt16LE(0, 34); // disk number
    header.writeUInt16LE(0, 36); // internal attributes
    header.writeUInt32LE((mode << 16) >>> 0, 38); // external attributes: unix mode in the high half
    header.writeUInt32LE(offset, 42);

    parts.push(local, name, body);
    central.push(header, name);
    offset += local.length + name.length + body.length;
    if (offset >= LIMIT) throw new Error("archive too large for a zip without ZIP64");
  }
  const centralSize = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(0, 4);
  end.writeUInt16LE(0, 6);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(0, 20);
  return Buffer.concat([...parts, ...central, end]);
}
