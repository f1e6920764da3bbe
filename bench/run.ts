// The benchmark runner (issue 8): every workload on aiosim and on its references, each
// measurement in a fresh process, the implementations alternating round by round; the
// median per implementation, every result checked, aiosim's speed-up over each
// reference, bytes per pending timer and task, and how the cost per operation of W2, W3
// and the scaling-only S1–S4 (queue, lock waiters, asCompleted, round trips beside idle
// connections) changes with N.
//
//   npm run bench                 full run: bench/results/latest.{json,md}, scaling.svg
//   npm run bench -- --quick      smaller N, fewer rounds (about a minute): .build/bench-results/
//
// Options: --only W1,S2 (the table and the scaling part keep only these)
//          --rounds R   --reps K (timed runs per process)   --no-memory
//          --no-scaling   --out DIR   --python EXE (default: pyenv's 3.13, else python3)
//          --render FILE  (re-render latest.md and scaling.svg from a results JSON)

import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, type } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { labels, markdown, type MemoryReport, type Report, REFERENCES, type ScalingReport, type WorkloadReport } from './runner/report.js';
import { findPython, type Impl, measure, measureMemory, measureScaling, type Python, ROOT } from './runner/spawn.js';
import { median } from './runner/stats.js';
import { scalingSvg } from './runner/svg.js';
import { disagreement, verify } from './runner/verify.js';
import { SCALING, WORKLOADS, workload } from './workloads/index.js';
import type { Params, Workload } from './workloads/workload.js';

interface Options {
  quick: boolean;
  only: string[] | undefined;
  rounds: number;
  reps: number;
  memory: boolean;
  scaling: boolean;
  /** Where the results go (default: bench/results/, or .build/bench-results/ when quick). */
  out: string | undefined;
  python: string | undefined;
  /** Re-render the Markdown and the SVG of this results JSON instead of measuring. */
  render: string | undefined;
}

function parseArgs(argv: string[]): Options {
  const quick = argv.includes('--quick');
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    if (i < 0) return undefined;
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value`);
    return v;
  };
  const withValue = ['--only', '--rounds', '--reps', '--out', '--python', '--render'];
  const known = new Set([...withValue, '--quick', '--no-memory', '--no-scaling']);
  argv.forEach((a, i) => {
    if (a.startsWith('--') && !known.has(a)) throw new Error(`unknown option ${a} (see the header of bench/run.ts)`);
    if (!a.startsWith('--') && !withValue.includes(argv[i - 1] ?? '')) throw new Error(`unexpected argument ${a}`);
  });
  const only = value('--only')?.split(',').map((s) => s.trim().toUpperCase());
  only?.forEach((id) => workload(id));
  const out = value('--out');
  const render = value('--render');
  const count = (flag: string, fallback: number): number => {
    const v = Number(value(flag) ?? fallback);
    if (!Number.isInteger(v) || v < 1) throw new Error(`${flag} needs a positive integer`);
    return v;
  };
  return {
    quick,
    only,
    rounds: count('--rounds', quick ? 2 : 3),
    reps: count('--reps', quick ? 1 : 2),
    memory: !argv.includes('--no-memory'),
    scaling: !argv.includes('--no-scaling'),
    out: out === undefined ? undefined : resolve(out),
    python: value('--python'),
    render: render === undefined ? undefined : resolve(render),
  };
}

const started = Date.now();
const progress = (line: string): void => {
  process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
};

function implsFor(w: Workload<unknown>): Impl[] {
  const impls: Impl[] = ['aiosim', 'cpython'];
  if (w.stock) impls.push('stock');
  if (w.fake !== undefined) impls.push('fake');
  if (w.network === undefined) impls.push('floor');
  return impls;
}

// Round r runs the implementations starting from the r-th, so none always follows another.
function rotate<T>(xs: readonly T[], r: number): T[] {
  const k = r % xs.length;
  return [...xs.slice(k), ...xs.slice(0, k)];
}

/** Measure one workload on every implementation that can run it, alternating. */
function benchWorkload(py: Python, w: Workload<unknown>, o: Options, failures: string[]): WorkloadReport {
  const p: Params = o.quick ? w.quick : w.full;
  const data = w.prepare(p);
  const impls = implsFor(w);
  const report: WorkloadReport = { id: w.id, title: w.title, n: p.n, m: p.m, ops: w.ops(p), runs: {}, speedup: {} };
  for (const impl of impls) report.runs[impl] = { ms: [], median: NaN, result: undefined };
  for (let r = 0; r < o.rounds; r++) {
    const line: string[] = [];
    for (const impl of rotate(impls, r)) {
      const run = report.runs[impl]!;
      if (run.error !== undefined) continue;
      try {
        const m = measure(py, impl, w.id, p, o.reps);
        run.ms.push(...m.ms);
        run.result = m.result;
        const wrong = verify(impl, w, p, data, m.result);
        if (wrong !== undefined) run.error = wrong;
      } catch (e) {
        run.error = (e as Error).message.split('\n')[0]!;
      }
      line.push(`${impl} ${run.error ?? `${(run.ms[run.ms.length - 1] ?? NaN).toFixed(1)} ms`}`);
    }
    progress(`${w.id} round ${r + 1}/${o.rounds}: ${line.join(', ')}`);
  }
  // aiosim, CPython on the virtual clock and the floor must agree exactly.
  const mine = report.runs.aiosim!.result;
  for (const impl of ['cpython', 'floor'] as const) {
    const other = report.runs[impl];
    if (mine === undefined || other?.result === undefined || other.error !== undefined) continue;
    const differs = disagreement(mine, other.result);
    if (differs !== undefined) report.runs.aiosim!.error = `disagrees with ${impl}: ${differs}`;
  }
  for (const impl of impls) {
    const run = report.runs[impl]!;
    run.median = median(run.ms);
    if (run.error !== undefined) failures.push(`${w.id} ${impl}: ${run.error}`);
  }
  const aiosim = report.runs.aiosim!;
  for (const impl of REFERENCES) {
    const ref = report.runs[impl];
    if (ref !== undefined && ref.error === undefined && aiosim.error === undefined) report.speedup[impl] = ref.median / aiosim.median;
  }
  return report;
}

/** Bytes per pending timer and per suspended task, n of them at once. */
function benchMemory(py: Python, n: number, failures: string[]): MemoryReport {
  const plan: Record<string, Impl[]> = { timers: ['aiosim', 'cpython', 'fake', 'floor'], tasks: ['aiosim', 'cpython', 'floor'] };
  const bytes: MemoryReport['bytes'] = {};
  for (const [item, impls] of Object.entries(plan)) {
    bytes[item] = {};
    for (const impl of impls) {
      try {
        bytes[item]![impl] = measureMemory(py, impl, item, n);
        progress(`memory ${item} ${impl}: ${bytes[item]![impl]!.toFixed(1)} bytes each`);
      } catch (e) {
        failures.push(`memory ${item} ${impl}: ${(e as Error).message.split('\n')[0]}`);
      }
    }
  }
  return { n, bytes };
}

/**
 * Nanoseconds per operation of the workloads with a scaling plan (W2, W3, S1–S3) at
 * N = 10^3 … 10^6 (10^5 when quick), each implementation up to its plan's largest N.
 */
function benchScaling(py: Python, o: Options, failures: string[]): ScalingReport {
  const sizes = o.quick ? [1e3, 1e4, 1e5] : [1e3, 1e4, 1e5, 1e6];
  // Enough timed runs that small sizes are measured over many repetitions.
  const [opsTarget, minReps, maxReps] = o.quick ? [3e4, 1, 20] : [1e6, 3, 50];
  const repsOf = (n: number): number => Math.min(maxReps, Math.max(minReps, Math.ceil(opsTarget / n)));
  const ns: ScalingReport['ns'] = {};
  SCALING.filter((w) => o.only === undefined || o.only.includes(w.id)).forEach((w, k) => {
    const plan = w.scaling!;
    const measured = new Map<Impl, { n: number; ns: number }[]>();
    for (const impl of rotate(plan.impls, k)) {
      const mine = sizes.filter((n) => n <= (plan.maxN?.[impl] ?? Infinity));
      try {
        const points = measureScaling(py, impl, w.id, mine, mine.map(repsOf)).map((m) => {
          const p: Params = { n: m.n, m: 0 };
          const wrong = verify(impl, w, p, w.prepare(p), m.result);
          if (wrong !== undefined) throw new Error(`N=${m.n}: ${wrong}`);
          return { n: m.n, ns: (median(m.ms) * 1e6) / w.ops(p) };
        });
        measured.set(impl, points);
        progress(`scaling ${w.id} ${impl}: ${points.map((q) => `N=${q.n} ${q.ns.toFixed(1)} ns`).join(', ')}`);
      } catch (e) {
        failures.push(`scaling ${w.id} ${impl}: ${(e as Error).message.split('\n')[0]}`);
      }
    }
    ns[w.id] = Object.fromEntries(plan.impls.filter((i) => measured.has(i)).map((i) => [i, measured.get(i)!]));
  });
  return { sizes, ns };
}

// The commit measured, read-only: `git rev-parse HEAD`, and whether src/ differs from it.
function aiosimCommit(): string | undefined {
  try {
    const git = (...args: string[]): string => execFileSync('git', ['-C', ROOT, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return git('rev-parse', 'HEAD') + (git('status', '--porcelain', '--', 'src') === '' ? '' : '+dirty');
  } catch {
    return undefined;
  }
}

function fakeTimersVersion(): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'node_modules', '@sinonjs', 'fake-timers', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

// Milliseconds to the microsecond, so that the JSON stays readable.
function rounded(report: Report): Report {
  return JSON.parse(JSON.stringify(report, (key, v: unknown) => (typeof v === 'number' && key !== 'time' && key !== 'check' ? Math.round(v * 1000) / 1000 : v))) as Report;
}

/** Write latest.json, latest.md and (with scaling figures) scaling.svg; return the Markdown. */
function writeOutputs(report: Report, outDir: string): string {
  mkdirSync(outDir, { recursive: true });
  const md = markdown(report);
  writeFileSync(join(outDir, 'latest.json'), `${JSON.stringify(rounded(report), null, 2)}\n`);
  writeFileSync(join(outDir, 'latest.md'), md);
  if (report.scaling !== undefined) {
    const panels = Object.entries(report.scaling.ns).map(([id, byImpl]) => {
      const w = workload(id);
      return {
        title: `${id} ${w.title}: time per ${w.scaling!.per}`,
        series: Object.entries(byImpl).map(([impl, points]) => ({ impl, points: points! })),
        guide: w.scaling!.guide,
        per: w.scaling!.per,
      };
    });
    const caption = `${report.mode} run ${report.date.slice(0, 10)}: Node ${report.versions.node}, CPython ${report.versions.python}, ${report.machine.cpu}`;
    writeFileSync(join(outDir, 'scaling.svg'), scalingSvg(panels, labels(report), caption));
  }
  return md;
}

function main(argv: string[]): void {
  const o = parseArgs(argv);
  if (o.render !== undefined) {
    // Re-render the Markdown and the plot of an earlier run.
    const report = JSON.parse(readFileSync(o.render, 'utf8')) as Report;
    process.stdout.write(writeOutputs(report, o.out ?? dirname(o.render)));
    return;
  }
  const py = findPython(o.python);
  const failures: string[] = [];
  const report: Report = {
    mode: o.quick ? 'quick' : 'full',
    date: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model.trim() ?? 'unknown CPU', cores: cpus().length, os: `${type()} ${release()}`, loadavg: loadavg() },
    versions: { node: process.version, python: py.version, pythonExe: py.exe, fakeTimers: fakeTimersVersion() },
    commit: aiosimCommit(),
    rounds: o.rounds,
    reps: o.reps,
    workloads: [],
    failures,
  };
  progress(`aiosim benchmarks (${report.mode}): Node ${report.versions.node}, CPython ${py.version} (${py.exe}), fake-timers ${report.versions.fakeTimers}`);
  // --only may name scaling-only workloads: they have no place in the table.
  const ids = WORKLOADS.map((w) => w.id).filter((id) => o.only === undefined || o.only.includes(id));
  for (const id of ids) report.workloads.push(benchWorkload(py, workload(id), o, failures));
  if (o.memory) report.memory = benchMemory(py, o.quick ? 50_000 : 1_000_000, failures);
  if (o.scaling && SCALING.some((w) => o.only === undefined || o.only.includes(w.id))) report.scaling = benchScaling(py, o, failures);
  const outDir = o.out ?? (o.quick ? join(ROOT, '.build', 'bench-results') : join(ROOT, 'bench', 'results'));
  const md = writeOutputs(report, outDir);
  process.stdout.write(`\n${md}\nWritten to ${relative(process.cwd(), outDir) || '.'}/ (latest.json, latest.md${report.scaling ? ', scaling.svg' : ''}).\n`);
  if (failures.length > 0) {
    process.stderr.write(`\n${failures.length} measurement(s) failed their checks.\n`);
    process.exitCode = 1;
  }
}

try {
  main(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`bench: ${(e as Error).message}\n`);
  process.exitCode = 2;
}
