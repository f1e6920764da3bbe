// The example timeline (examples/12-pictures.ts) as a browser shows it: headless Chromium
// loads timeline.html, runs its inline script and draws the SVG; the test reads the DOM
// it dumps and the pixels of its screenshot. Skipped where Chromium is not installed
// (Debian: apt install chromium); timeline-svg.test.ts checks the page without a browser.

import { execFileSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writePictures } from '../../examples/12-pictures.js';

function findChromium(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of ['chromium', 'chromium-browser']) {
      try {
        accessSync(join(dir, name), constants.X_OK);
        return join(dir, name);
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

const chromium = findChromium();
const skipped = chromium === undefined ? ' (skipped: chromium not installed: apt install chromium)' : '';
// CI installs Chromium (.ci/run) and says so: there a missing browser is a failure, not a skip.
const required = process.env.AIOSIM_REQUIRE_CHROMIUM === '1';

function runChromium(args: string[]): string {
  const profile = mkdtempSync(join(tmpdir(), 'aiosim-chromium-'));
  try {
    return execFileSync(chromium!, [
      '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--no-default-browser-check', '--hide-scrollbars',
      // This machine's network is closed: without these, Chromium keeps trying to reach Google's hosts.
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic',
      `--user-data-dir=${profile}`, ...args,
    ], { encoding: 'utf8', timeout: 90_000, stdio: ['ignore', 'pipe', 'pipe'] });
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/** Decode an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium writes) to RGBA pixels. */
function decodePng(png: Buffer): { width: number; height: number; rgba: Uint8Array } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([data[8], data[12]]).toEqual([8, 0]);
      channels = data[9] === 6 ? 4 : data[9] === 2 ? 3 : 0;
      expect(channels).toBeGreaterThan(0);
    }
    if (type === 'IDAT') idat.push(data);
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= channels ? out[y * stride + x - channels]! : 0;
      const b = y > 0 ? out[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? out[(y - 1) * stride + x - channels]! : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predicted = [0, a, b, (a + b) >> 1, paeth][filter]!;
      out[y * stride + x] = (v + predicted) & 0xff;
    }
  }
  if (channels === 4) return { width, height, rgba: out };
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) rgba.set([out[i * 3]!, out[i * 3 + 1]!, out[i * 3 + 2]!, 255], i * 4);
  return { width, height, rgba };
}

function countColour(image: { rgba: Uint8Array }, hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let n = 0;
  for (let i = 0; i < image.rgba.length; i += 4) {
    if (image.rgba[i] === r && image.rgba[i + 1] === g && image.rgba[i + 2] === b) n++;
  }
  return n;
}

// Appended to a copy of the page: scrolls the picture's box to its end and notes, on the
// root element, where the axis's last label is drawn and what the visible part of the box
// is (CSS pixels), whether the box scrolls, and the legend's entries.
const MEASURE = `<script>
(function () {
  var box = document.querySelector('.picture');
  box.scrollLeft = box.scrollWidth;
  var ticks = document.querySelectorAll('text.tick');
  var last = ticks[ticks.length - 1];
  var r = last.getBoundingClientRect();
  var v = box.getBoundingClientRect();
  var root = document.documentElement;
  root.setAttribute('data-last-tick', last.textContent + ' ' + [r.left, r.right, v.left + box.clientLeft, v.left + box.clientLeft + box.clientWidth].map(Math.round).join(' '));
  root.setAttribute('data-scrolls', String(box.scrollWidth > box.clientWidth));
  root.setAttribute('data-legend', Array.prototype.map.call(document.querySelectorAll('.legend-item'), function (g) { return g.textContent; }).join('|'));
})();
</script>`;

describe('the example timeline in headless Chromium', () => {
  it.runIf(required)('has a browser where one is required', () => {
    expect(chromium, 'AIOSIM_REQUIRE_CHROMIUM=1 but no chromium on PATH').toBeDefined();
  });

  let dir = '';
  let url = '';
  beforeAll(() => {
    if (chromium === undefined) return;
    dir = mkdtempSync(join(tmpdir(), 'aiosim-timeline-'));
    writePictures(dir);
    url = pathToFileURL(join(dir, 'timeline.html')).href;
  });
  afterAll(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(chromium === undefined)(`shows the rows and the summary its script computed${skipped}`, () => {
    const dom = runChromium(['--dump-dom', url]);
    // The script ran: it filled the summary from the SVG the browser parsed.
    expect(dom).toMatch(/<html[^>]* data-summary="5"/);
    const list = /<ul id="summary">([\s\S]*?)<\/ul>/.exec(dom)![1]!;
    expect([...list.matchAll(/<li data-kind="(\w+)">([^<]*)<\/li>/g)].map((m) => `${m[1]} | ${m[2]}`)).toEqual([
      'loop | loop callbacks: 5 callbacks, t=1.0 to 2.0',
      'task | main: 3 steps, t=0.0 to 2.0',
      'task | fast fetch: 2 steps, t=0.0 to 1.0',
      'task | slow fetch: 2 steps, t=0.0 to 2.0',
      'thread | thread pool_0: 3 turns, t=0.0 to 2.0',
    ]);
    expect(dom).toContain('<h1>two fetches and a checksum</h1>');
    for (const row of ['loop callbacks', 'main', 'fast fetch', 'slow fetch', 'thread pool_0']) expect(dom).toContain(`>${row}<title>`);
  });

  it.skipIf(chromium === undefined)(`shows the axis's last label, fitting the window or scrolling inside its box${skipped}`, () => {
    const measured = join(dir, 'measured.html');
    writeFileSync(measured, readFileSync(join(dir, 'timeline.html'), 'utf8').replace('</body>', `${MEASURE}\n</body>`));
    for (const [size, scrolls] of [['1400,800', 'false'], ['1000,700', 'false'], ['600,700', 'true']] as const) {
      const dom = runChromium([`--window-size=${size}`, '--dump-dom', pathToFileURL(measured).href]);
      expect(/data-scrolls="(\w+)"/.exec(dom)?.[1], size).toBe(scrolls);
      const [text, left, right, viewLeft, viewRight] = /data-last-tick="([^"]*)"/.exec(dom)![1]!.split(' ');
      expect(text).toBe('2.0');
      // Wholly inside the visible part of the picture's box, the box scrolled to its end.
      expect(Number(left), size).toBeGreaterThanOrEqual(Number(viewLeft));
      expect(Number(right), size).toBeLessThanOrEqual(Number(viewRight));
      expect(/data-legend="([^"]*)"/.exec(dom)![1]!.split('|')).toEqual([
        'task step', 'step: task done', 'step: task cancelled', 'callback', 'timer callback', 'thread turn', 'task awaits',
        'wakes a task (future done)', 'starts a task', 'schedules a callback', 'schedules a timer', 'future done', 'timer cancelled',
      ]);
    }
  });

  it.skipIf(chromium === undefined)(`draws the steps, thread turns and callbacks${skipped}`, () => {
    const png = join(dir, 'timeline.png');
    runChromium(['--window-size=1300,700', `--screenshot=${png}`, url]);
    const image = decodePng(readFileSync(png));
    expect([image.width, image.height]).toEqual([1300, 700]);
    // The fill colours of the boxes (the picture's stylesheet): blue steps, dark blue last
    // steps, green thread turns, orange timers, grey callbacks, each drawn as boxes.
    for (const colour of ['#4e79a7', '#1f4e79', '#59a14f', '#f28e2b', '#a0a0a0']) {
      expect(countColour(image, colour), colour).toBeGreaterThan(60);
    }
    // The thread's first turn is busy for 1.5 of the 2 seconds: by far the widest box.
    expect(countColour(image, '#59a14f')).toBeGreaterThan(countColour(image, '#4e79a7'));
  });
});
