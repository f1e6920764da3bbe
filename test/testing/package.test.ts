// The published package: `npm run build`, `npm pack`, then a fresh project installs the
// tarball offline and imports both entry points, `aiosim` and `aiosim/testing`, from
// JavaScript (ESM) and from TypeScript (NodeNext resolution, the shipped .d.ts files).

import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from './_support.js';

const root = join(import.meta.dirname, '..', '..');

const consumerScript = `
import { EventLoop, sleep } from 'aiosim';
import { asyncCoroutine, awaitable, loopState, runUntilCompleteAsync, toChromeTrace, toTimelineSvg, Trace, withLoop } from 'aiosim/testing';

const trace = new Trace({ kinds: ['timer'] });
const result = withLoop(function* (loop) {
  yield* sleep(1);
  return [loop instanceof EventLoop, loop.time()];
}, { trace });
const chrome = toChromeTrace(trace).traceEvents.length > 0;
const svg = toTimelineSvg(trace).startsWith('<svg');
const loop = new EventLoop();
const asyncResult = await runUntilCompleteAsync(loop, asyncCoroutine(async function main() {
  await awaitable(sleep(2));
  return loop.time();
})());
loop.close();
console.log(JSON.stringify({ result, trace: trace.lines(), tasks: loopState(new EventLoop()).tasks, chrome, svg, asyncResult }));
`;

const consumerTypes = `
import { EventLoop, sleep, type Coro } from 'aiosim';
import { loopFixture, withLoop, type LoopState, type TraceEvent } from 'aiosim/testing';

function* main(loop: EventLoop): Coro<number> {
  yield* sleep(1);
  return loop.time();
}
const time: number = withLoop(main);
const events: TraceEvent[] = [];
const fixture = loopFixture({ timeMode: 'manual' });
export { time, events, fixture };
export type { LoopState };
`;

describe('the packed package', () => {
  it("installs offline and serves both 'aiosim' and 'aiosim/testing'", () => {
    run('npm', ['--version'], root);
    const dir = mkdtempSync(join(tmpdir(), 'aiosim-pack-'));
    try {
      run('npm', ['run', 'build'], root);
      run('npm', ['pack', '--pack-destination', dir], root);
      const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
      expect(tarball).toMatch(/^aiosim-.*\.tgz$/);
      const project = join(dir, 'consumer');
      mkdirSync(project);
      writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'aiosim-consumer', private: true, type: 'module' }));
      run('npm', ['install', '--offline', '--no-audit', '--no-fund', join(dir, tarball!)], project);

      writeFileSync(join(project, 'check.mjs'), consumerScript);
      const out = JSON.parse(run('node', ['check.mjs'], project)) as unknown;
      expect(out).toEqual({
        result: [true, 1],
        trace: [
          '0.0 timer 1 scheduled at 1.0: _set_result_unless_cancelled(future 1, None)',
          '1.0 timer 1 fires: _set_result_unless_cancelled(future 1, None)',
        ],
        tasks: [],
        chrome: true,
        svg: true,
        asyncResult: 2,
      });

      writeFileSync(join(project, 'check.ts'), consumerTypes);
      writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
        compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', noEmit: true, types: [] },
        files: ['check.ts'],
      }));
      run('node', [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], project);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
