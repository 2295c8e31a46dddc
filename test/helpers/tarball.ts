/**
 * Builds a small npm-style package tarball (.tgz: ustar entries under `package/`, gzipped with
 * CompressionStream) in the test, so the registry tests never need the real @forge/manifest tarball.
 */

/** One 512-byte ustar header for a regular file. */
function header(name: string, size: number): Uint8Array {
  const block = new Uint8Array(512);
  const put = (text: string, offset: number) => block.set(new TextEncoder().encode(text), offset);
  put(name, 0);
  put("0000644\0", 100);
  put("0000000\0", 108);
  put("0000000\0", 116);
  put(`${size.toString(8).padStart(11, "0")}\0`, 124);
  put("00000000000\0", 136);
  put("        ", 148); // checksum field counts as spaces while summing
  put("0", 156);
  put("ustar\0", 257);
  put("00", 263);
  const sum = block.reduce((total, byte) => total + byte, 0);
  put(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
  return block;
}

/** A tar archive (not gzipped) of these files, in order. */
export function tar(files: Record<string, string>): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const [name, content] of Object.entries(files)) {
    const body = new TextEncoder().encode(content);
    parts.push(header(name, body.length), body, new Uint8Array((512 - (body.length % 512)) % 512));
  }
  parts.push(new Uint8Array(1024));
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export async function gzip(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** A @forge/manifest-like tarball: package.json plus out/scopes/<file> for each list given. */
export function forgeManifestTarball(
  lists: Record<string, unknown>,
  pkg: { name?: string; version?: string } = {},
): Promise<Uint8Array> {
  const files: Record<string, string> = {
    "package/package.json": JSON.stringify({ name: pkg.name ?? "@forge/manifest", version: pkg.version ?? "13.7.0" }),
    "package/out/scopes/index.js": "module.exports = {};",
  };
  for (const [file, list] of Object.entries(lists)) files[`package/out/scopes/${file}`] = JSON.stringify(list);
  return gzip(tar(files));
}
