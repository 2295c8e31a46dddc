// Checks the README's console examples against a running server: each `$ curl …` line of a ```console
// block is run (127.0.0.1:8787 pointed at BASE) and its output compared with the lines under it.
//   BASE=http://localhost:8799 node scripts/readme-examples.mjs [--write]
// --write puts each command's output as it is now under it. Commands other than curl (the CLI) are skipped; a
// JSON answer, pretty-printed and cut by hand, has only its catalog version and time checked.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";

const base = process.env.BASE ?? "http://127.0.0.1:8787";
const write = process.argv.includes("--write");
const file = new URL("../README.md", import.meta.url);
const lines = readFileSync(file, "utf8").split("\n");
const out = [];
let inConsole = false;
let differing = 0;
let checked = 0;
let jsonShown = 0;
for (let at = 0; at < lines.length; at++) {
  const line = lines[at];
  out.push(line);
  if (line.startsWith("```")) inConsole = !inConsole && line === "```console";
  if (!inConsole || !line.startsWith("$ curl ")) continue;
  const shown = [];
  while (at + 1 < lines.length && !lines[at + 1].startsWith("$ ") && !lines[at + 1].startsWith("```"))
    shown.push(lines[++at]);
  // Blank lines before the next command separate examples; they are not output.
  const gap = [];
  while (shown.length > 0 && shown.at(-1) === "") gap.unshift(shown.pop());
  const hostPort = new URL(base).host;
  const command = line.slice(2).replaceAll("127.0.0.1:8787", hostPort);
  let now;
  try {
    // Links in answers name the server they came from: shown as the README's 127.0.0.1:8787.
    now = execFileSync("bash", ["-c", command], { encoding: "utf8" })
      .replace(/\n$/, "")
      .replaceAll(hostPort, "127.0.0.1:8787")
      .replaceAll(`tag:${new URL(base).hostname},`, "tag:127.0.0.1,")
      .split("\n");
  } catch (error) {
    now = [`(failed: ${error.message.split("\n")[0]})`];
  }
  // A JSON answer is shown pretty-printed and cut (…) by hand: only its catalog version and times are kept current.
  if (shown.length > 1 && shown[0] === "{") {
    const live = JSON.parse(now.join("\n")).catalog ?? {};
    const refreshed = shown.map((text) =>
      text
        .replace(/("version": ")[^"]+(")/, `$1${live.version}$2`)
        .replace(/("scrapedAt": ")[^"]+(")/, `$1${live.scrapedAt}$2`),
    );
    if (refreshed.join("\n") !== shown.join("\n"))
      console.log(`--- README.md:${at + 1 - shown.length} JSON example: catalog version or time is old`);
    jsonShown++;
    out.push(...(write ? refreshed : shown), ...gap);
    continue;
  }
  checked++;
  if (now.join("\n") !== shown.join("\n")) {
    differing++;
    console.log(`--- README.md:${at + 1 - shown.length} ${line.slice(0, 110)}`);
    for (const old of shown) if (!now.includes(old)) console.log(`  - ${old.slice(0, 200)}`);
    for (const fresh of now) if (!shown.includes(fresh)) console.log(`  + ${fresh.slice(0, 200)}`);
  }
  out.push(...(write ? now : shown), ...gap);
}
console.log(
  `${checked} text examples, ${differing} differ; ${jsonShown} JSON examples (only their catalog version checked)`,
);
if (write) writeFileSync(file, out.join("\n"));
