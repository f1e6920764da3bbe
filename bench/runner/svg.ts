// The scaling plot, hand-written SVG: nanoseconds per operation against N (both axes
// logarithmic), one panel per workload (three to a row), one line per implementation, and
// a dashed guide showing what O(1) or O(log n) per operation would look like from
// aiosim's first point.

export interface Series {
  impl: string;
  points: { n: number; ns: number }[];
}

export interface Panel {
  title: string;
  series: Series[];
  /** The cost per operation a guide line follows: constant, or proportional to log n. */
  guide?: 'flat' | 'log';
  /** What one operation is, for the guide's label (`O(1) per callback`). */
  per?: string;
}

const COLORS: Record<string, string> = { aiosim: '#d62728', floor: '#2ca02c', cpython: '#1f77b4', fake: '#ff7f0e' };
const W = 460;
const H = 340;
const PER_ROW = 3;
const LEGEND = 28;
const M = { left: 64, right: 16, top: 40, bottom: 48 };

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function power(e: number): string {
  return `10<tspan dy="-6" font-size="9">${e}</tspan>`;
}

function nsLabel(v: number): string {
  return v >= 1e6 ? `${v / 1e6} ms` : v >= 1e3 ? `${v / 1e3} µs` : `${v} ns`;
}

function panel(p: Panel, x0: number, labels: Record<string, string>): string {
  const all = p.series.flatMap((s) => s.points).filter((q) => q.ns > 0 && Number.isFinite(q.ns));
  if (all.length === 0) return '';
  const yMin = Math.floor(Math.log10(Math.min(...all.map((q) => q.ns))));
  const yMax = Math.ceil(Math.log10(Math.max(...all.map((q) => q.ns))));
  const xMin = Math.log10(Math.min(...all.map((q) => q.n)));
  const xMax = Math.log10(Math.max(...all.map((q) => q.n)));
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const sx = (n: number): number => x0 + M.left + ((Math.log10(n) - xMin) / Math.max(xMax - xMin, 1e-9)) * pw;
  const sy = (v: number): number => M.top + ph - ((Math.log10(v) - yMin) / Math.max(yMax - yMin, 1e-9)) * ph;
  const out: string[] = [];
  out.push(`<text x="${x0 + W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(p.title)}</text>`);
  for (let e = yMin; e <= yMax; e++) {
    const y = sy(10 ** e);
    out.push(`<line x1="${x0 + M.left}" x2="${x0 + W - M.right}" y1="${y}" y2="${y}" stroke="#ddd"/>`);
    out.push(`<text x="${x0 + M.left - 6}" y="${y + 4}" text-anchor="end" font-size="11">${nsLabel(10 ** e)}</text>`);
  }
  for (let e = Math.ceil(xMin); e <= Math.floor(xMax); e++) {
    const x = sx(10 ** e);
    out.push(`<line x1="${x}" x2="${x}" y1="${M.top}" y2="${M.top + ph}" stroke="#eee"/>`);
    out.push(`<text x="${x}" y="${M.top + ph + 18}" text-anchor="middle" font-size="11">${power(e)}</text>`);
  }
  out.push(`<text x="${x0 + M.left + pw / 2}" y="${H - 8}" text-anchor="middle" font-size="12">N</text>`);
  out.push(`<rect x="${x0 + M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="none" stroke="#888"/>`);
  const anchor = p.series.find((s) => s.impl === 'aiosim')?.points[0];
  if (p.guide !== undefined && anchor !== undefined) {
    const at = (n: number): number => (p.guide === 'flat' ? anchor.ns : (anchor.ns * Math.log(n)) / Math.log(anchor.n));
    const n1 = 10 ** xMax;
    out.push(`<line x1="${sx(anchor.n)}" y1="${sy(at(anchor.n)).toFixed(1)}" x2="${sx(n1)}" y2="${sy(at(n1)).toFixed(1)}" stroke="#999" stroke-dasharray="5 4"/>`);
    out.push(`<text x="${sx(n1) - 4}" y="${(sy(at(n1)) - 6).toFixed(1)}" text-anchor="end" font-size="10" fill="#777">${p.guide === 'flat' ? 'O(1)' : 'O(log n)'} per ${esc(p.per ?? 'operation')}</text>`);
  }
  for (const s of p.series) {
    const color = COLORS[s.impl] ?? '#555';
    const pts = s.points.filter((q) => q.ns > 0 && Number.isFinite(q.ns));
    if (pts.length === 0) continue;
    out.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.map((q) => `${sx(q.n).toFixed(1)},${sy(q.ns).toFixed(1)}`).join(' ')}"/>`);
    for (const q of pts) out.push(`<circle cx="${sx(q.n).toFixed(1)}" cy="${sy(q.ns).toFixed(1)}" r="3" fill="${color}"><title>${esc(labels[s.impl] ?? s.impl)} N=${q.n}: ${q.ns.toFixed(0)} ns</title></circle>`);
  }
  return out.join('\n');
}

// One legend row under the panels, centred (text width estimated at 7 px a character).
function legend(impls: string[], labels: Record<string, string>, y: number, width: number): string {
  const widths = impls.map((impl) => 28 + 7 * (labels[impl] ?? impl).length + 24);
  let x = (width - widths.reduce((a, b) => a + b, 0)) / 2;
  return impls
    .map((impl, i) => {
      const color = COLORS[impl] ?? '#555';
      const entry = `<line x1="${x}" x2="${x + 22}" y1="${y - 4}" y2="${y - 4}" stroke="${color}" stroke-width="2"/><text x="${x + 28}" y="${y}" font-size="12">${esc(labels[impl] ?? impl)}</text>`;
      x += widths[i]!;
      return entry;
    })
    .join('\n');
}

/** The whole plot: panels in rows of three, a legend row, a caption line. */
export function scalingSvg(panels: Panel[], labels: Record<string, string>, caption: string): string {
  const rows = Math.ceil(panels.length / PER_ROW);
  const width = W * Math.min(panels.length, PER_ROW);
  const height = H * rows + LEGEND + 22;
  const impls = [...new Set(panels.flatMap((p) => p.series.map((s) => s.impl)))];
  const row = (r: number): string =>
    `<g transform="translate(0 ${r * H})">\n${panels.slice(r * PER_ROW, (r + 1) * PER_ROW).map((p, i) => panel(p, i * W, labels)).join('\n')}\n</g>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    Array.from({ length: rows }, (_, r) => row(r)).join('\n'),
    legend(impls, labels, H * rows + 16, width),
    `<text x="${width / 2}" y="${height - 8}" text-anchor="middle" font-size="11" fill="#555">${esc(caption)}</text>`,
    `</svg>`,
    '',
  ].join('\n');
}
