/** A V8 sampling heap profile (`HeapProfiler.stopSampling`) summed by allocation site. */

export interface SamplingFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

export interface SamplingNode {
  callFrame: SamplingFrame;
  selfSize: number;
  children: SamplingNode[];
}

/**
 * Adds each site's bytes under `head` into `bySite` and returns their total. A site is `siteOf` a
 * frame with a script; a built-in (`push`, `join`, `next`: no url) is named with the site that called
 * it, which says which spread or join it was.
 */
export function addAllocationSites(
  head: SamplingNode,
  bySite: Map<string, number>,
  siteOf: (frame: SamplingFrame) => string,
): number {
  let total = 0;
  const walk = (node: SamplingNode, caller: string) => {
    const frame = node.callFrame;
    const own = frame.url === "" ? caller : siteOf(frame);
    const site = frame.url === "" ? `${frame.functionName} ← ${caller}` : own;
    total += node.selfSize;
    bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
    for (const child of node.children) walk(child, own);
  };
  walk(head, "(root)");
  return total;
}
