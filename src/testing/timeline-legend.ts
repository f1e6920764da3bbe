// The legend of the SVG timeline: one entry for each kind of box, bar, arrow and mark the
// picture draws, in a fixed order, laid out in as many rows as the picture's width needs.
// asyncio: none (an aiosim testing extra)

/** @internal What a legend entry explains: the class of what the picture draws (`step failed`, `mark cancel`). */
export type LegendKey =
  | 'step' | 'step done' | 'step failed' | 'step cancelled' | 'callback' | 'timer' | 'thread' | 'wait'
  | 'connection' | 'message' | 'message lost' | 'fault'
  | 'flow wake' | 'flow start' | 'flow resume' | 'flow call' | 'flow timer' | 'flow message'
  | 'mark done' | 'mark cancel' | 'mark raise' | 'mark log' | 'mark warning';

const box = (cls: string): string => `<rect class="slice ${cls}" x="0" y="-9" width="10" height="10"/>`;
const arrow = (cls: string): string => `<path class="flow ${cls}" d="M0 -4h14" marker-end="url(#arrow)"/>`;

/** @internal The shape of each mark, centred on (cx, cy) (the picture and the legend draw the same). */
export function markPath(kind: string, cx: number, cy: number): string {
  const at = (x: number, y: number): string => `M${Math.round(x * 10) / 10} ${Math.round(y * 10) / 10}`;
  if (kind === 'done') return `${at(cx, cy - 5)}l4 5l-4 5l-4 -5z`;
  if (kind === 'cancel') return `${at(cx - 3, cy - 3)}l6 6m0 -6l-6 6`;
  if (kind === 'raise') return `${at(cx - 3.5, cy)}a3.5 3.5 0 1 0 7 0a3.5 3.5 0 1 0 -7 0z`;
  return `${at(cx, cy - 6)}l5 10h-10z`;
}

const mark = (kind: string): string => `<path class="mark ${kind}" d="${markPath(kind, 5, -4)}"/>`;

// In the order the legend lists them: boxes, bars, arrows, marks.
const ENTRIES: readonly [LegendKey, string, string][] = [
  ['step', box('step'), 'task step'],
  ['step done', box('step done'), 'step: task done'],
  ['step failed', box('step failed'), 'step: task failed'],
  ['step cancelled', box('step cancelled'), 'step: task cancelled'],
  ['callback', box('callback'), 'callback'],
  ['timer', box('timer'), 'timer callback'],
  ['thread', box('thread'), 'thread turn'],
  ['wait', '<line class="wait" x1="0" y1="-4" x2="14" y2="-4"/>', 'task awaits'],
  ['connection', box('connection'), 'connection event'],
  ['message', box('message'), 'message sent or delivered'],
  ['message lost', box('message lost'), 'message lost'],
  ['fault', box('fault'), 'network fault'],
  ['flow wake', arrow('wake'), 'wakes a task (future done)'],
  ['flow start', arrow('start'), 'starts a task'],
  ['flow resume', arrow('resume'), 'resumes a task (yield, throw)'],
  ['flow call', arrow('call'), 'schedules a callback'],
  ['flow timer', arrow('timer'), 'schedules a timer'],
  ['flow message', arrow('message'), 'message between hosts'],
  ['mark done', mark('done'), 'future done'],
  ['mark cancel', mark('cancel'), 'timer cancelled'],
  ['mark raise', mark('raise'), 'exception raised'],
  ['mark log', mark('log'), 'log record'],
  ['mark warning', mark('warning'), 'warning'],
];

const CHAR = 6;
const LINE = 18;

/**
 * @internal The legend for what the picture draws (`shown`), from (left, top), wrapped to
 * `width`: its markup and its height.
 */
export function legendSvg(shown: ReadonlySet<LegendKey>, left: number, top: number, width: number): { svg: string; height: number } {
  const items: string[] = [];
  let x = left;
  let y = top + 10;
  for (const [key, shape, text] of ENTRIES) {
    if (!shown.has(key)) continue;
    const w = 22 + text.length * CHAR + 18;
    if (x > left && x + w > width) {
      x = left;
      y += LINE;
    }
    items.push(`<g class="legend-item" data-key="${key}" transform="translate(${x} ${y})">${shape}<text x="20" y="0">${text}</text></g>`);
    x += w;
  }
  return { svg: `<g class="legend">\n${items.join('\n')}\n</g>`, height: items.length === 0 ? 0 : y - top + 8 };
}
