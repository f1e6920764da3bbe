// toTimelineSvg / toTimelineHtml: the pictures aiosim draws itself. Checked without a
// browser: both parse as XML (a strict parser here, and CPython's ElementTree), carry no
// external reference, say what the program did (rows, boxes with their virtual times,
// waits, arrows, axis), and the page's inline script, run on a minimal DOM, computes the
// summary a browser shows (timeline-chromium.test.ts checks it in Chromium itself).

import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createTask, sleep, ValueError, type Coro } from '../../src/index.js';
import { toTimelineHtml, toTimelineSvg, Trace } from '../../src/testing/index.js';
import { runPython } from '../scenario/oracle/cpython.js';
import { traceProgram } from '../../examples/12-pictures.js';
import { everything } from './_pictures.js';
import { traced } from './_support.js';
import { findAll, miniDocument, parseXml, textOf, type XmlElement } from './_xml.js';

const classed = (el: XmlElement, name: string): boolean => (el.attrs.get('class') ?? '').split(' ').includes(name);
const tracks = (svg: XmlElement): XmlElement[] => findAll(svg, (el) => el.name === 'g' && classed(el, 'track'));
const boxes = (g: XmlElement): XmlElement[] => findAll(g, (el) => el.name === 'rect' && classed(el, 'slice'));
// The arrows (not the legend's sample).
const arrows = (svg: XmlElement): XmlElement[] =>
  findAll(svg, (el) => el.name === 'g' && classed(el, 'flows')).flatMap((g) => findAll(g, (el) => el.name === 'path'));
const tip = (el: XmlElement): string => textOf(findAll(el, (c) => c.name === 'title')[0]!);
const num = (el: XmlElement, attr: string): number => Number(el.attrs.get(attr));

// The example's program: fetches of 1 s and 3 s (the second cut by a 1 s timeout from
// t=1), a 1.5 s job on a worker thread, main awaiting each in turn.
const example = (): string => toTimelineSvg(traceProgram().trace, { title: 'two fetches and a checksum' });

describe('toTimelineSvg', () => {
  it('draws a row for the loop\'s callbacks, each task and each thread, in order', () => {
    const svg = parseXml(example());
    expect(svg.name).toBe('svg');
    expect(svg.attrs.get('xmlns')).toBe('http://www.w3.org/2000/svg');
    expect(tracks(svg).map((g) => [g.attrs.get('data-kind'), g.attrs.get('data-title')])).toEqual([
      ['loop', 'loop callbacks'], ['task', 'main'], ['task', 'fast fetch'], ['task', 'slow fetch'], ['thread', 'thread pool_0'],
    ]);
    expect(tracks(svg).map((g) => textOf(findAll(g, (el) => el.name === 'text')[0]!.children[0]!))).toEqual([
      'loop callbacks', 'main', 'fast fetch', 'slow fetch', 'thread pool_0',
    ]);
    expect(tip(svg)).toBe('two fetches and a checksum');
  });

  it('draws each step, callback and thread turn as a box carrying its virtual times', () => {
    const svg = parseXml(example());
    const spans = tracks(svg).map((g) => boxes(g).map((b) => `${b.attrs.get('class')} ${b.attrs.get('data-start')}-${b.attrs.get('data-end')}`));
    expect(spans).toEqual([
      // the sleep's timer, the job's result and its follow-up, the timeout, the end
      ['slice timer 1.0-1.0', 'slice callback 1.5-1.5', 'slice callback 1.5-1.5', 'slice timer 2.0-2.0', 'slice callback 2.0-2.0'],
      ['slice step 0.0-0.0', 'slice step 1.0-1.0', 'slice step done 2.0-2.0'],
      ['slice step 0.0-0.0', 'slice step done 1.0-1.0'],
      ['slice step 0.0-0.0', 'slice step cancelled 2.0-2.0'],
      // busy with the job, then woken for more work, then stopped by shutdown
      ['slice thread 0.0-1.5', 'slice thread 1.5-1.5', 'slice thread 2.0-2.0'],
    ]);
    const main = boxes(tracks(svg)[1]!);
    expect(tip(main[1]!)).toMatch(/^main: resume after fast fetch \(t=1\.0, iteration 5\)\n(.*\n)*main: await slow fetch$/);
  });

  it('puts later times to the right, the events of an instant in order, time gaps to scale', () => {
    const draw = (pxPerSecond: number): number[] => boxes(tracks(parseXml(toTimelineSvg(traceProgram().trace, { pxPerSecond })))[0]!).map((b) => num(b, 'x'));
    const [t1, t15a, t15b, t2a, t2b] = draw(100);
    expect(t1! < t15a! && t15a! < t15b! && t15b! < t2a! && t2a! < t2b!).toBe(true);
    const wider = draw(300);
    // Twice as many pixels per second: 0.5 s more between t=1.0 and t=1.5, 1 s more to 2.0.
    expect(wider[1]! - wider[0]! - (t15a! - t1!)).toBeCloseTo(100, 5);
    expect(wider[3]! - wider[0]! - (t2a! - t1!)).toBeCloseTo(200, 5);
  });

  it('draws what a task awaits between two steps as a labelled bar', () => {
    const svg = parseXml(example());
    const waits = tracks(svg).map((g) => findAll(g, (el) => el.name === 'line' && classed(el, 'wait')).map(tip));
    expect(waits).toEqual([[], ['await fast fetch', 'await slow fetch'], ['await sleep future 1'], ['await sleep future 2'], []]);
    const labels = findAll(svg, (el) => el.name === 'text' && classed(el, 'wait-label')).map(textOf);
    expect(labels).toEqual(['await fast fetch', 'await slow fetch', 'await sleep future 1', 'await sleep future 2']);
  });

  it('draws arrows between rows from what scheduled a step or callback to it', () => {
    const svg = parseXml(example());
    const drawn = arrows(svg).map((p) => `${p.attrs.get('class')}: ${tip(p)}`);
    expect(drawn).toContain('flow start: start: fast fetch: start');
    expect(drawn).toContain('flow wake: wake: fast fetch: resume after sleep future 1');
    expect(drawn).toContain('flow wake: wake: main: resume after fast fetch');
    expect(drawn).toContain('flow wake: wake: main: resume after slow fetch, throw CancelledError()');
    expect(drawn).toContain('flow timer: timer: timer 1 fires: _set_result_unless_cancelled(sleep future 1, None)');
    expect(drawn.filter((a) => a.includes('_set_state'))).toEqual([
      'flow call: call: run _chain_future.<locals>._set_state(wrap_future future 1, <Future at 0x... returned int>)',
    ]);
    for (const p of arrows(svg)) expect(p.attrs.get('marker-end')).toBe('url(#arrow)');
  });

  it('labels the time axis with the virtual times of the instants', () => {
    const ticks = findAll(parseXml(example()), (el) => el.name === 'text' && classed(el, 'tick')).map(textOf);
    expect(ticks).toEqual(['virtual time (s)', '0.0', '1.0', '1.5', '2.0']);
  });

  it('rounds the times it shows to the clock resolution', () => {
    const trace = traced(function* main(): Coro<void> {
      for (let i = 0; i < 3; i++) yield* sleep(0.1);
    });
    expect(trace.events.at(-1)!.time).toBe(0.30000000000000004);
    const svg = parseXml(toTimelineSvg(trace));
    expect(findAll(svg, (el) => el.name === 'text' && classed(el, 'tick')).map(textOf)).toEqual(['virtual time (s)', '0.0', '0.1', '0.2', '0.3']);
    expect(boxes(tracks(svg)[1]!).map((b) => b.attrs.get('data-start'))).toEqual(['0.0', '0.1', '0.2', '0.3']);
    expect(tip(boxes(tracks(svg)[1]!)[3]!)).toMatch(/^main: resume after sleep future 3 \(t=0\.3, iteration 7\)\n/);
    // The resolution given as an option: a third of a second shows with 9 decimals at the
    // default resolution (1e-9 s), with 2 at 0.25 s.
    const third = traced(function* main(): Coro<void> {
      yield* sleep(1 / 3);
    });
    const starts = (svg: XmlElement): (string | undefined)[] => boxes(tracks(svg)[1]!).map((b) => b.attrs.get('data-start'));
    expect(starts(parseXml(toTimelineSvg(third)))).toEqual(['0.0', '0.333333333']);
    expect(starts(parseXml(toTimelineSvg(third, { clockResolution: 0.25 })))).toEqual(['0.0', '0.33']);
  });

  it('refuses sizes that are not finite numbers >= 0 (NaN or infinite coordinates draw nothing)', () => {
    const trace = traced(function* main(): Coro<void> {
      yield* sleep(1);
    });
    for (const [option, value, text] of [['pxPerSecond', NaN, 'nan'], ['pxPerSecond', -1, '-1'], ['slotPx', Infinity, 'inf']] as const) {
      for (const draw of [toTimelineSvg, toTimelineHtml]) {
        expect(() => draw(trace, { [option]: value })).toThrow(ValueError);
        expect(() => draw(trace, { [option]: value })).toThrow(new RegExp(`^${option} must be a finite number of pixels >= 0, got ${text}$`));
      }
    }
    expect(() => toTimelineSvg(trace, { slotPx: '10' as never })).toThrow(TypeError);
    expect(toTimelineSvg(trace, { pxPerSecond: 0, slotPx: 0 })).toContain('<svg');
  });

  it('marks futures done, with their outcome', () => {
    const trace = traced(function* main(): Coro<void> {
      yield* sleep(1);
    });
    const marks = tracks(parseXml(toTimelineSvg(trace))).flatMap((g) => findAll(g, (el) => el.name === 'path' && classed(el, 'mark')));
    expect(marks.map((m) => [m.attrs.get('class'), tip(m)])).toEqual([['mark done', 'sleep future 1: done, result=None (t=1.0)']]);
  });

  it('marks timers cancelled, exceptions raised in coroutines awaited inline, log records and warnings on their rows', () => {
    const svg = parseXml(toTimelineSvg(everything()));
    const marks = tracks(svg).map((g) => [g.attrs.get('data-title'), findAll(g, (el) => el.name === 'path' && classed(el, 'mark'))
      .filter((m) => !classed(m, 'done')).map((m) => `${m.attrs.get('class')}: ${tip(m)}`)]);
    expect(marks).toEqual([
      ['loop callbacks', ["mark log: log ERROR asyncio: Exception in callback boom() … (t=0.0)"]],
      ['main', [
        'mark cancel: timer 1 cancelled (t=0.0)',
        'mark warning: warning RuntimeWarning: careful (t=0.0)',
        "mark raise: main: failing() raised ValueError('boom') (t=0.25)",
      ]],
      ['failing', []],
      ['forever', ['mark cancel: timer 4 cancelled (t=0.25)']],
      ['thread ThreadPoolExecutor-?_0', []],
    ]);
  });

  it('labels the last instant on the axis, inside the picture, however close the instants before it', () => {
    // Instants at 0, 1 - 1e-6, 1 and 1 + 1e-6: 1 - 1e-6 and 1 have no room for a label.
    const trace = traced(function* main(): Coro<void> {
      yield* sleep(1 - 1e-6);
      yield* sleep(1e-6);
      yield* sleep(1e-6);
    });
    const svg = parseXml(toTimelineSvg(trace, { slotPx: 2 }));
    const ticks = findAll(svg, (el) => el.name === 'text' && classed(el, 'tick')).slice(1);
    expect(ticks.map(textOf)).toEqual(['0.0', '1.000001']);
    const last = ticks.at(-1)!;
    expect(num(last, 'x') + textOf(last).length * 6).toBeLessThanOrEqual(num(svg, 'width'));
    // The grid still has a line for every instant.
    expect(findAll(svg, (el) => el.name === 'line' && classed(el, 'grid'))).toHaveLength(4);
  });

  it('draws the picture docs/testing.md shows (update it with vitest -u)', async () => {
    await expect(example()).toMatchFileSnapshot('../../docs/images/timeline-example.svg');
  });

  it('gives the same text for the same program, whatever ran before', () => {
    const once = example();
    traced(function* main(): Coro<void> {
      yield* createTask(sleep(0.5));
    });
    expect(example()).toBe(once);
  });

  it('escapes names and keeps them whole in attributes and tooltips', () => {
    const name = `<b class="x">&'quoted'`;
    const trace = traced(function* main(): Coro<void> {
      yield* createTask(sleep(0), { name });
    });
    const text = toTimelineSvg(trace, { title: 'a & b' });
    const svg = parseXml(text);
    expect(tracks(svg).map((g) => g.attrs.get('data-name'))).toEqual(['loop', 'main', name]);
    expect(tip(svg)).toBe('a & b');
    expect(text).not.toContain('<b class');
  });

  it('draws an empty trace as the loop\'s row alone', () => {
    const svg = parseXml(toTimelineSvg(new Trace()));
    expect(tracks(svg).map((g) => [g.attrs.get('data-title'), boxes(g).length])).toEqual([['loop callbacks', 0]]);
    expect(findAll(parseXml(toTimelineHtml([])), (el) => el.attrs.get('id') === 'facts').map(textOf)).toEqual(['no events · 0 tasks · 0 threads']);
  });

  it('is self-contained: no links, scripts or external fonts', () => {
    const text = example();
    expect(text).not.toMatch(/\b(href|src)=|@import|<script|<image|<foreignObject/);
    expect([...text.matchAll(/url\(([^)]*)\)/g)].map((m) => m[1])).toEqual(expect.arrayContaining(['#arrow']));
    expect(new Set([...text.matchAll(/url\(([^)]*)\)/g)].map((m) => m[1]))).toEqual(new Set(['#arrow']));
    expect([...text.matchAll(/https?:\/\/[^"\s]*/g)].map((m) => m[0])).toEqual(['http://www.w3.org/2000/svg']);
  });
});

describe('toTimelineHtml', () => {
  const page = (): string => toTimelineHtml(traceProgram().trace, { title: 'two fetches and a checksum' });

  it('is well-formed XHTML with the picture, the facts and the trace text', () => {
    const text = page();
    expect(text.startsWith('<!DOCTYPE html>\n')).toBe(true);
    const html = parseXml(text);
    expect(html.attrs.get('xmlns')).toBe('http://www.w3.org/1999/xhtml');
    const byId = (id: string): XmlElement => findAll(html, (el) => el.attrs.get('id') === id)[0]!;
    expect(textOf(findAll(html, (el) => el.name === 'title')[0]!)).toBe('two fetches and a checksum');
    const events = traceProgram().trace.events.length;
    expect(textOf(byId('facts'))).toBe(`virtual time 0.0 to 2.0 · ${events} events · 3 tasks · 1 thread`);
    expect(byId('summary').children).toEqual([]);
    expect(findAll(html, (el) => el.name === 'svg')).toHaveLength(1);
    expect(textOf(findAll(html, (el) => el.name === 'pre')[0]!)).toBe(String(traceProgram().trace));
    expect([...text.matchAll(/https?:\/\/[^"\s]*/g)].map((m) => m[0])).toEqual(['http://www.w3.org/1999/xhtml', 'http://www.w3.org/2000/svg']);
    expect(text).not.toMatch(/\b(href|src)=|@import/);
  });

  it('lets the picture shrink with the window to 3/4 of its size, then scroll inside its box', () => {
    const html = parseXml(page());
    const box = findAll(html, (el) => el.attrs.get('class') === 'picture')[0]!;
    const svg = findAll(box, (el) => el.name === 'svg')[0]!;
    const width = num(svg, 'width');
    expect(box.attrs.get('style')).toBe(`--picture-width: ${width}px; --picture-min: ${Math.round(width * 0.75)}px`);
    const css = textOf(findAll(html, (el) => el.name === 'style')[0]!);
    expect(css).toContain('.picture { overflow-x: auto;');
    expect(css).toContain('.picture svg { display: block; width: 100%; max-width: var(--picture-width); min-width: var(--picture-min); height: auto; }');
  });

  it('has an inline script that lists each row\'s boxes, as the browser shows them', () => {
    const html = parseXml(page());
    const script = textOf(findAll(html, (el) => el.name === 'script')[0]!);
    runInNewContext(script, { document: miniDocument(html) });
    const summary = findAll(html, (el) => el.attrs.get('id') === 'summary')[0]!;
    expect(summary.children.map(textOf)).toEqual([
      'loop callbacks: 5 callbacks, t=1.0 to 2.0',
      'main: 3 steps, t=0.0 to 2.0',
      'fast fetch: 2 steps, t=0.0 to 1.0',
      'slow fetch: 2 steps, t=0.0 to 2.0',
      'thread pool_0: 3 turns, t=0.0 to 2.0',
    ]);
    expect(html.attrs.get('data-summary')).toBe('5');
  });

  it('parses with CPython\'s XML parser too, as a page and as a picture', async () => {
    const text = page();
    const svg = example();
    const out = await runPython(`PAGE = ${JSON.stringify(text)}
SVG = ${JSON.stringify(svg)}
import json, xml.etree.ElementTree as ET
from collections import Counter
H = '{http://www.w3.org/1999/xhtml}'
S = '{http://www.w3.org/2000/svg}'
page = ET.fromstring(PAGE.split('\\n', 1)[1])
picture = ET.fromstring(SVG)
def kinds(root):
    rows = [g for g in root.iter(S + 'g') if g.get('class') == 'track']
    return dict(Counter(r.get('class') for g in rows for r in g.iter(S + 'rect') if 'slice' in r.get('class', '').split()))
print(json.dumps([page.tag, page.find(H + 'head/' + H + 'title').text, kinds(page), kinds(picture),
                  [g.get('data-title') for g in picture.iter(S + 'g') if g.get('class') == 'track']]))
`);
    const counts = { 'slice timer': 2, 'slice callback': 3, 'slice step': 4, 'slice step done': 2, 'slice step cancelled': 1, 'slice thread': 3 };
    expect(JSON.parse(out)).toEqual([
      '{http://www.w3.org/1999/xhtml}html', 'two fetches and a checksum', counts, counts,
      ['loop callbacks', 'main', 'fast fetch', 'slow fetch', 'thread pool_0'],
    ]);
  });
});
