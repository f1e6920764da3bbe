// The report: what a run measured (the JSON written to bench/results/) and its Markdown
// tables (printed, and written beside the JSON for the README).

import { workload } from '../workloads/index.js';
import type { Result } from '../workloads/workload.js';
import type { Impl } from './spawn.js';
import { fmtInt, fmtMs, fmtRatio } from './stats.js';
import { CPYTHON_TARGETS, FAKE_TARGET, TIMER_BYTES_TARGET } from './verify.js';

/** One implementation on one workload: every timed run, their median, the last result. */
export interface ImplRun {
  ms: number[];
  median: number;
  result: Result | undefined;
  /** Why the result is wrong, when it is. */
  error?: string;
}

export interface WorkloadReport {
  id: string;
  title: string;
  n: number;
  m: number;
  ops: number;
  runs: Partial<Record<Impl, ImplRun>>;
  /** Reference median / aiosim median: above 1, aiosim is that many times faster. */
  speedup: Partial<Record<Impl, number>>;
}

export interface MemoryReport {
  n: number;
  /** Bytes per item, by item (`timers`, `tasks`) and implementation. */
  bytes: Record<string, Partial<Record<Impl, number>>>;
}

export interface ScalingReport {
  sizes: number[];
  /** Nanoseconds per operation, by workload, implementation and size. */
  ns: Record<string, Partial<Record<Impl, { n: number; ns: number }[]>>>;
}

export interface Report {
  mode: 'full' | 'quick';
  date: string;
  machine: { cpu: string; cores: number; os: string; loadavg: number[] };
  versions: { node: string; python: string; pythonExe: string; fakeTimers: string };
  /** The aiosim commit measured (`+dirty` when src/ had uncommitted changes), when known. */
  commit?: string;
  rounds: number;
  reps: number;
  workloads: WorkloadReport[];
  memory?: MemoryReport;
  scaling?: ScalingReport;
  failures: string[];
}

/** The column order of the speed table. */
export const REFERENCES: readonly Impl[] = ['cpython', 'stock', 'fake', 'floor'];

/** Human names of the implementations. */
export function labels(r: Pick<Report, 'versions'>): Record<Impl, string> {
  return {
    aiosim: 'aiosim',
    cpython: `CPython ${r.versions.python} (virtual clock)`,
    stock: `CPython ${r.versions.python} (stock loop)`,
    fake: `fake-timers ${r.versions.fakeTimers}`,
    floor: 'plain-JS floor',
  };
}

/** How aiosim compares with a reference: `35.2× faster` or `1.80× slower`. */
export function fmtSpeedup(s: number | undefined): string {
  if (s === undefined || !Number.isFinite(s)) return '—';
  return s >= 1 ? `${fmtRatio(s)} faster` : `${fmtRatio(1 / s)} slower`;
}

function cell(w: WorkloadReport, impl: Impl): string {
  const run = w.runs[impl];
  if (run === undefined) return '—';
  if (run.error !== undefined) return `WRONG: ${run.error}`;
  const time = `${fmtMs(run.median)} ms`;
  if (impl === 'aiosim') return `${time} (${fmtNs((run.median * 1e6) / w.ops)}/op)`;
  return `${time} · ${fmtSpeedup(w.speedup[impl])}`;
}

function fmtNs(ns: number): string {
  return ns >= 100 ? `${ns.toFixed(0)} ns` : `${ns.toFixed(1)} ns`;
}

function targetCell(w: WorkloadReport): string {
  const mark = (s: number | undefined, target: number): string => (s === undefined || !Number.isFinite(s) ? '' : s >= target ? ' ✓' : ' ✗');
  const parts: string[] = [];
  const target = CPYTHON_TARGETS[w.id];
  if (target !== undefined) parts.push(`CPython ≥ ${target}×${mark(w.speedup.cpython, target)}`);
  if (w.runs.fake !== undefined) parts.push(`fake ≥ ${FAKE_TARGET}×${mark(w.speedup.fake, FAKE_TARGET)}`);
  return parts.join(', ');
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function sizeOf(w: WorkloadReport): string {
  if (w.id === 'W10') return `${fmtInt(w.n)} (${fmtInt(w.m)} clients)`;
  return w.m > 0 && (w.id === 'W6' || w.id === 'W9') ? `${fmtInt(w.n)} × ${fmtInt(w.m)}` : fmtInt(w.n);
}

/** The speed table: medians, and aiosim against each reference. */
export function speedTable(r: Report): string {
  const l = labels(r);
  const header = ['Workload', 'N', 'aiosim', l.cpython, l.stock, l.fake, l.floor, 'targets'];
  const rows = r.workloads.map((w) => [
    `${w.id} ${w.title}`,
    sizeOf(w),
    cell(w, 'aiosim'),
    cell(w, 'cpython'),
    cell(w, 'stock'),
    cell(w, 'fake'),
    cell(w, 'floor'),
    targetCell(w),
  ]);
  return table(header, rows);
}

/** The memory table: bytes per pending item. */
export function memoryTable(r: Report): string {
  const m = r.memory;
  if (m === undefined) return '';
  const l = labels(r);
  const impls: Impl[] = ['aiosim', 'cpython', 'fake', 'floor'];
  const names: Record<string, string> = { timers: 'pending timer (callLater)', tasks: 'pending task (suspended on a Future)' };
  const rows = Object.entries(m.bytes).map(([item, byImpl]) => [
    names[item] ?? item,
    ...impls.map((i) => (byImpl[i] === undefined ? '—' : `${byImpl[i]!.toFixed(0)} B`)),
  ]);
  const timer = m.bytes.timers?.aiosim;
  const note = timer === undefined ? '' : `\n\naiosim's pending timer: ${timer.toFixed(0)} bytes (target < ${TIMER_BYTES_TARGET}: ${timer < TIMER_BYTES_TARGET ? '✓' : '✗'}).`;
  const header = [`Bytes per item, ${fmtInt(m.n)} pending`, ...impls.map((i) => l[i].replace(/ \(virtual clock\)$/, ''))];
  return table(header, rows) + note;
}

/** The scaling table: nanoseconds per operation at each N. */
export function scalingTable(r: Report): string {
  const s = r.scaling;
  if (s === undefined) return '';
  const l = labels(r);
  const rows: string[][] = [];
  for (const [id, byImpl] of Object.entries(s.ns)) {
    for (const [impl, points] of Object.entries(byImpl)) {
      const at = (n: number): string => {
        const p = points!.find((q) => q.n === n);
        return p === undefined ? '—' : fmtNs(p.ns);
      };
      rows.push([id, l[impl as Impl], ...s.sizes.map(at)]);
    }
  }
  return table(['Workload', 'Implementation', ...s.sizes.map((n) => `N = ${fmtInt(n)}`)], rows);
}

// What one operation is in each scaling workload: `W2: per callback; S1: per item`.
function scalingUnits(s: ScalingReport): string {
  return Object.keys(s.ns).map((id) => `${id}: per ${workload(id).scaling?.per ?? 'operation'}`).join('; ');
}

/** The whole Markdown report. */
export function markdown(r: Report): string {
  const at = r.commit === undefined ? '' : ` of aiosim ${r.commit.slice(0, 10)}${r.commit.endsWith('+dirty') ? '+dirty' : ''}`;
  const env = `${r.mode} run${at}, ${r.date.slice(0, 10)}: Node ${r.versions.node}, CPython ${r.versions.python}, @sinonjs/fake-timers ${r.versions.fakeTimers}; ${r.machine.cpu} (${r.machine.cores} cores); median of ${r.rounds * r.reps} timed run${r.rounds * r.reps === 1 ? '' : 's'} each (${r.rounds} alternating rounds × ${r.reps}).`;
  const parts = r.workloads.length > 0 ? [env, '', speedTable(r)] : [env];
  if (r.memory !== undefined) parts.push('', memoryTable(r));
  if (r.scaling !== undefined) parts.push('', `Nanoseconds per operation (${scalingUnits(r.scaling)}):`, '', scalingTable(r));
  if (r.failures.length > 0) parts.push('', '**Failures:**', '', ...r.failures.map((f) => `- ${f}`));
  return parts.join('\n') + '\n';
}
