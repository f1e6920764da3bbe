// Where the SVG timeline's arrows run and where its wait labels go: arrows leave and enter
// boxes vertically, and no arrow crosses a wait's label.

import { describe, expect, it } from 'vitest';
import { toTimelineSvg } from '../../src/testing/index.js';
import { freePlace, samplesOf } from '../../src/testing/timeline-route.js';
import { traceProgram } from '../../examples/12-pictures.js';
import { everything, queueWorkers } from './_pictures.js';
import { findAll, parseXml, textOf, type XmlElement } from './_xml.js';

const classOf = (el: XmlElement): string => el.attrs.get('class') ?? '';

// The arrows' curves, from their path data (`M x y C x y x y x y`).
function curves(svg: XmlElement): { from: { x: number; y: number }; to: { x: number; y: number }; c: number[] }[] {
  const paths = findAll(svg, (el) => el.name === 'g' && classOf(el) === 'flows').flatMap((g) => findAll(g, (el) => el.name === 'path'));
  return paths.map((p) => {
    const n = p.attrs.get('d')!.match(/-?[\d.]+/g)!.map(Number);
    return { from: { x: n[0]!, y: n[1]! }, to: { x: n[6]!, y: n[7]! }, c: n.slice(2, 6) };
  });
}

// Each wait label's box: 6 px a character, from 10 px above its baseline to 3 px below.
function labelBoxes(svg: XmlElement): { text: string; left: number; right: number; top: number; bottom: number }[] {
  return findAll(svg, (el) => classOf(el) === 'wait-label').map((t) => {
    const x = Number(t.attrs.get('x'));
    const y = Number(t.attrs.get('y'));
    const text = textOf(t);
    return { text, left: x, right: x + text.length * 6, top: y - 10, bottom: y + 3 };
  });
}

describe('the timeline\'s arrows', () => {
  it('leave their box and enter the next one vertically', () => {
    const all = curves(parseXml(toTimelineSvg(traceProgram().trace)));
    expect(all.length).toBeGreaterThan(5);
    for (const { from, to, c } of all) {
      // Control points straight above or below the ends, half-way between the rows.
      expect([c[0], c[2]]).toEqual([from.x, to.x]);
      expect(c[1]).toBe(c[3]);
      expect(c[1]).toBeCloseTo((from.y + to.y) / 2, 0);
    }
  });

  it('cross no wait label', () => {
    for (const trace of [traceProgram().trace, everything(), queueWorkers()]) {
      const svg = parseXml(toTimelineSvg(trace));
      const points = samplesOf(curves(svg));
      const boxes = labelBoxes(svg);
      expect(boxes.length).toBeGreaterThan(3);
      for (const b of boxes) {
        const crossing = points.filter((p) => p.x >= b.left && p.x <= b.right && p.y >= b.top && p.y <= b.bottom);
        expect(crossing, `arrows crossing '${b.text}'`).toEqual([]);
      }
    }
  });

  it('move a label along its bar past the arrows that cross its first place', () => {
    const svg = parseXml(toTimelineSvg(queueWorkers()));
    const bars = findAll(svg, (el) => el.name === 'g' && classOf(el) === 'track').flatMap((g) => findAll(g, (el) => classOf(el) === 'wait'));
    // A label's first place is 3 px past its bar's start, on the bar's row (4 px above it).
    const first = new Map(bars.map((b) => [`${Number(b.attrs.get('y1')) - 4} ${textOf(findAll(b, (e) => e.name === 'title')[0]!)}`, Number(b.attrs.get('x1')) + 3]));
    const labels = findAll(svg, (el) => classOf(el) === 'wait-label');
    const moved = labels.filter((t) => Number(t.attrs.get('x')) > first.get(`${t.attrs.get('y')} ${textOf(t)}`)! + 0.1);
    expect(labels.length).toBeGreaterThan(moved.length);
    expect(moved.length).toBeGreaterThan(0);
  });
});

describe('freePlace', () => {
  const line = (x: number, y1: number, y2: number): { x: number; y: number }[] => [y1, (y1 + y2) / 2, y2].map((y) => ({ x, y }));

  it('takes the leftmost place no point falls in, with 2 pixels of margin', () => {
    expect(freePlace([], 10, 100, 0, 12, 30)).toBe(10);
    expect(freePlace(line(20, -5, 20), 10, 100, 0, 12, 30)).toBe(23);
    expect(freePlace([...line(20, -5, 20), ...line(50, 0, 12)], 10, 100, 0, 12, 30)).toBe(53);
    // Points outside the band do not count.
    expect(freePlace(line(20, 30, 40), 10, 100, 0, 12, 30)).toBe(10);
  });

  it('finds no place when the points leave no room', () => {
    expect(freePlace(line(30, 0, 12), 10, 60, 0, 12, 30)).toBeUndefined();
    expect(freePlace([], 10, 30, 0, 12, 30)).toBeUndefined();
  });
});
