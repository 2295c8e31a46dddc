/**
 * Row 3: the scraper's extraction (parseOpenApiText + normalizeProduct) of every document in
 * ../shared/atlassian-docs, against JSON.parse of the same bytes; and its peak heap, measured in a
 * child process with --trace-gc. Skipped, with a message, when the documents are absent.
 */
import { readFileSync } from "node:fs";
import { normalizeProduct, type ParsedSource } from "../../scraper/normalize";
import { parseOpenApiText } from "../../scraper/parse/openapi";
import { SOURCES } from "../../scraper/sources";
import { SHARED_DOCS, sharedDocumentFiles } from "../lib/catalog";
import { bundleChild, runChild } from "../lib/children";
import { ratio, type BenchOptions, type Row } from "../lib/report";
import { formatBytes, formatMs, formatNumber, interleaved, median } from "../lib/stats";

const HEAP_LIMIT_MB = 128;

/** Heap in use before each collection, from `--trace-gc` lines like `Mark-Compact 45.2 (60.1) -> 30.1 (50.2) MB`. */
function gcPeaks(trace: string): { used: number; committed: number; collections: number } {
  let used = 0;
  let committed = 0;
  let collections = 0;
  for (const match of trace.matchAll(
    /(\d+(?:\.\d+)?) \((\d+(?:\.\d+)?)\) -> (\d+(?:\.\d+)?) \((\d+(?:\.\d+)?)\) MB/g,
  )) {
    collections++;
    used = Math.max(used, Number(match[1]));
    committed = Math.max(committed, Number(match[2]), Number(match[4]));
  }
  return { used, committed, collections };
}

export async function extractRows(options: BenchOptions): Promise<Row[]> {
  const { quick, log } = options;
  const files = sharedDocumentFiles();
  if (!files) {
    const message = `skipped: ${SHARED_DOCS} is absent (or incomplete), so there are no documents to extract`;
    log(`row 3: ${message}`);
    return [
      {
        id: "3",
        what: "scraper extraction of every shared document",
        ours: "—",
        peer: "—",
        ratio: "—",
        target: "≤ 1.5× JSON.parse; peak heap < 128 MB",
        verdict: "SKIP",
        notes: [message],
      },
    ];
  }
  const texts = new Map(files.map((entry) => [entry.id, readFileSync(entry.file, "utf8")]));
  const bytes = [...texts.values()].reduce((sum, text) => sum + Buffer.byteLength(text), 0);
  let endpoints = 0;
  const extract = () => {
    endpoints = 0;
    for (const source of SOURCES) {
      const parsed: ParsedSource[] = source.documents.map((document) => {
        const result = parseOpenApiText(texts.get(document.id)!);
        if (!result.ok) throw new Error(`${document.id}: ${result.message}`);
        return { source: document, document: result.document };
      });
      endpoints += normalizeProduct(source.product, parsed).endpoints.length;
    }
    return 1;
  };
  const parseAll = () => {
    for (const text of texts.values()) JSON.parse(text);
    return 1;
  };
  const schedule = quick ? { warmup: 1, rounds: 2 } : { warmup: 2, rounds: 9 };
  const results = interleaved(
    [
      { name: "extract", run: extract },
      { name: "parse", run: parseAll },
    ],
    schedule,
  );
  // interleaved reports runs per second; one run is the whole set of documents.
  const extractMs = 1000 / median(results.get("extract")!);
  const parseMs = 1000 / median(results.get("parse")!);

  const child = await bundleChild("extract");
  const { stdout } = runChild(child, [SHARED_DOCS], ["--trace-gc"]);
  const resultLine = stdout.split("\n").find((line) => line.startsWith("RESULT "));
  if (!resultLine) throw new Error("the extraction child printed no result");
  const result = JSON.parse(resultLine.slice("RESULT ".length)) as {
    endpoints: number;
    samples: { at: string; heapUsedMB: number }[];
    maxRssMB: number;
  };
  const gc = gcPeaks(stdout);
  const lastSample = Math.max(...result.samples.map((sample) => sample.heapUsedMB));
  const peakUsed = Math.max(gc.used, lastSample);
  const baseline = result.samples[0]!.heapUsedMB;
  log(`row 3: extraction ${formatMs(extractMs)}, JSON.parse ${formatMs(parseMs)}, peak heap ${peakUsed.toFixed(1)} MB`);

  const timeOk = extractMs / parseMs <= 1.5;
  const heapOk = peakUsed < HEAP_LIMIT_MB;
  return [
    {
      id: "3",
      what: `scraper extraction of all ${files.length} shared documents (${formatBytes(bytes)}, ${formatNumber(endpoints)} endpoints)`,
      ours: `${formatMs(extractMs)}; peak heap ${peakUsed.toFixed(1)} MB`,
      peer: `JSON.parse ${formatMs(parseMs)}`,
      ratio: ratio(extractMs / parseMs),
      target: "≤ 1.5× JSON.parse; peak heap < 128 MB",
      verdict: timeOk && heapOk ? "PASS" : "MISS",
      metrics: { ratio: extractMs / parseMs, extractMs, parseMs, peakHeapMB: peakUsed },
      notes: [
        `Ours is parseOpenApiText (which includes its own JSON.parse) + normalizeProduct per product, over the documents held in memory; the peer is JSON.parse of the same texts. Medians of ${schedule.rounds} interleaved rounds after ${schedule.warmup} warm-up${schedule.warmup === 1 ? "" : "s"}.${timeOk ? "" : " Time target missed."}${heapOk ? "" : " Heap target missed."}`,
        `Peak heap: a fresh child process (bundled, plain node, --max-old-space-size untouched) extracts one product at a time as runScrape does, reading each product's documents just before parsing them and keeping only the records. Run with --trace-gc: heap in use only grows between collections, so the peak is the largest "before" figure of ${gc.collections} collections, or the last sample if larger. Peak used ${peakUsed.toFixed(1)} MB (committed ${gc.committed.toFixed(1)} MB); the process started at ${baseline.toFixed(1)} MB; samples after each product: ${result.samples
          .slice(1)
          .map((sample) => `${sample.at} ${sample.heapUsedMB.toFixed(1)}`)
          .join(", ")} MB; max RSS ${result.maxRssMB.toFixed(0)} MB (code, buffers and heap).`,
      ],
    },
  ];
}
