// The SVG timeline's legend: an entry for every kind of box, bar, arrow and mark the
// picture draws (and none for what it does not draw), each drawn as the picture draws it.

import { describe, expect, it } from 'vitest';
import { toTimelineSvg } from '../../src/testing/index.js';
import { traceProgram } from '../../examples/12-pictures.js';
import { everything } from './_pictures.js';
import { findAll, parseXml, textOf, type XmlElement } from './_xml.js';

const classOf = (el: XmlElement): string => el.attrs.get('class') ?? '';
const within = (svg: XmlElement, group: string): XmlElement[] =>
  findAll(svg, (el) => el.name === 'g' && classOf(el).split(' ').includes(group));

// The legend keys of what the picture draws: boxes by kind and outcome, waits, arrows, marks.
function drawn(svg: XmlElement): Set<string> {
  const keys = new Set<string>();
  for (const g of within(svg, 'track')) {
    for (const el of findAll(g, (e) => /^(slice|mark) /.test(classOf(e)) || classOf(e) === 'wait')) {
      keys.add(classOf(el).replace(/^slice /, ''));
    }
  }
  for (const g of within(svg, 'flows')) for (const p of findAll(g, (e) => e.name === 'path')) keys.add(classOf(p));
  return keys;
}

function legend(svg: XmlElement): Map<string, { text: string; shape: string }> {
  const items = findAll(svg, (el) => classOf(el) === 'legend-item');
  return new Map(items.map((g) => [g.attrs.get('data-key')!, {
    text: textOf(findAll(g, (e) => e.name === 'text')[0]!),
    shape: classOf(g.children.find((c): c is XmlElement => typeof c !== 'string' && c.name !== 'text')!).replace(/^slice /, ''),
  }]));
}

describe('the timeline legend', () => {
  it('explains every kind of box, bar, arrow and mark the picture draws, and only those', () => {
    for (const trace of [traceProgram().trace, everything()]) {
      const svg = parseXml(toTimelineSvg(trace));
      const entries = legend(svg);
      expect(new Set(entries.keys())).toEqual(drawn(svg));
      // Each entry shows the shape it explains, with the picture's class (and so its style).
      for (const [key, { shape }] of entries) expect(shape).toBe(key);
    }
  });

  it('names them all for a program that does everything a picture shows', () => {
    const entries = legend(parseXml(toTimelineSvg(everything())));
    expect(Object.fromEntries([...entries].map(([k, v]) => [k, v.text]))).toEqual({
      'step': 'task step',
      'step done': 'step: task done',
      'step failed': 'step: task failed',
      'step cancelled': 'step: task cancelled',
      'callback': 'callback',
      'timer': 'timer callback',
      'thread': 'thread turn',
      'wait': 'task awaits',
      'flow wake': 'wakes a task (future done)',
      'flow start': 'starts a task',
      'flow call': 'schedules a callback',
      'flow timer': 'schedules a timer',
      'mark done': 'future done',
      'mark cancel': 'timer cancelled',
      'mark raise': 'exception raised',
      'mark log': 'log record',
      'mark warning': 'warning',
    });
  });

  it('draws a cancelled timer\'s cross in the timers\' colour, not in the red of failures', () => {
    const text = toTimelineSvg(traceProgram().trace);
    expect(text).toContain('.mark.cancel { fill: none; stroke: #d9731a;');
    expect(text).toContain('.flow.timer { stroke: #d9731a;');
    expect(text).toContain('.step.failed { fill: #e15759; }');
    expect(legend(parseXml(text)).get('mark cancel')?.text).toBe('timer cancelled');
  });

  it('wraps its entries to the picture\'s width', () => {
    const svg = parseXml(toTimelineSvg(everything()));
    const width = Number(svg.attrs.get('width'));
    const rows = new Set<number>();
    for (const g of findAll(svg, (el) => classOf(el) === 'legend-item')) {
      const [x, y] = /translate\(([\d.]+) ([\d.]+)\)/.exec(g.attrs.get('transform')!)!.slice(1).map(Number) as [number, number];
      const text = textOf(findAll(g, (e) => e.name === 'text')[0]!);
      expect(x + 20 + text.length * 6).toBeLessThanOrEqual(width);
      rows.add(y);
    }
    expect(rows.size).toBeGreaterThan(1);
    expect(Number(svg.attrs.get('height'))).toBeGreaterThan(Math.max(...rows));
  });
});
