// Where the SVG timeline's arrows run and where the labels of its waits go: an arrow leaves
// its box vertically and enters the box it points to vertically (an S-curve between two
// rows), so that it crosses the rows in between instead of running along them; a wait's
// label takes the first place along its bar that no arrow crosses.
// asyncio: none (an aiosim testing extra)

/** A point of the picture. */
export interface Point {
  x: number;
  y: number;
}

/** @internal An arrow from one box's edge to another's: a cubic curve with vertical ends. */
export interface Curve {
  from: Point;
  to: Point;
}

/** @internal The curve's control points: straight out of the first box, straight into the second. */
export function controls(c: Curve): [Point, Point] {
  const mid = (c.from.y + c.to.y) / 2;
  return [{ x: c.from.x, y: mid }, { x: c.to.x, y: mid }];
}

// Points along each curve, close enough that none jumps over a label (labels are 12 px high
// and at least a few characters wide).
const SAMPLES = 48;

/** @internal Points along the curves, for finding the places they leave free. */
export function samplesOf(curves: readonly Curve[]): Point[] {
  const out: Point[] = [];
  for (const c of curves) {
    const [p1, p2] = controls(c);
    for (let i = 0; i <= SAMPLES; i++) {
      const t = i / SAMPLES;
      const a = (1 - t) ** 3;
      const b = 3 * (1 - t) ** 2 * t;
      const d = 3 * (1 - t) * t * t;
      const e = t ** 3;
      out.push({ x: a * c.from.x + b * p1.x + d * p2.x + e * c.to.x, y: a * c.from.y + b * p1.y + d * p2.y + e * c.to.y });
    }
  }
  return out;
}

/**
 * @internal Where a label of `width` pixels goes between `left` and `right` in the band
 * `top`..`bottom`: the leftmost place no point of an arrow falls in (2 pixels of margin), or
 * undefined when there is none.
 */
export function freePlace(points: readonly Point[], left: number, right: number, top: number, bottom: number, width: number): number | undefined {
  const inBand = points.filter((p) => p.y >= top && p.y <= bottom && p.x >= left - 2 && p.x <= right + 2);
  let x = left;
  while (x + width <= right) {
    const blocking = inBand.filter((p) => p.x >= x - 2 && p.x <= x + width + 2);
    if (blocking.length === 0) return x;
    x = blocking.reduce((m, p) => Math.max(m, p.x), -Infinity) + 3;
  }
  return undefined;
}
