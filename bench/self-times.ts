// Self time per function of a V8 CPU profile (node --cpu-prof), for bench/profile.ts and
// bench/property.ts.

import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');

/** Self time per function (ms), largest first. */
export function selfTimes(profile: CpuProfile): { name: string; where: string; ms: number; share: number }[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, { name: string; where: string; ms: number }>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id)!;
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    total += dt;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.startsWith('file://') ? relative(root, fileURLToPath(url)) : url;
    const where = file === '' ? '' : `${file}:${lineNumber + 1}`;
    const key = `${functionName}@${where}`;
    const entry = self.get(key) ?? { name: functionName || '(anonymous)', where, ms: 0 };
    entry.ms += dt;
    self.set(key, entry);
  });
  return [...self.values()].sort((a, b) => b.ms - a.ms).map((e) => ({ ...e, share: e.ms / total }));
}

