// A trace as a self-contained HTML page: the SVG timeline, a per-track summary that the
// page's inline script computes from the picture, and the trace's text. Written as
// polyglot markup (well-formed XML as well as HTML) so that it can be checked without a
// browser.
// asyncio: none (an aiosim testing extra)

import { buildTimeline } from './timeline.js';
import { timelineSvg, xmlEscape, type TimelineOptions } from './timeline-svg.js';
import { formatTrace, type TraceEvent } from './trace-event.js';
import { formatTime, timeDecimals } from './trace-time.js';
import type { Trace } from './trace.js';

const CSS = [
  'body { font-family: system-ui, sans-serif; margin: 16px; color: #222; }',
  'h1 { font-size: 20px; margin: 0 0 4px; }',
  '#facts { color: #555; margin: 0 0 8px; }',
  '#summary { margin: 0 0 12px; padding-left: 20px; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 13px; }',
  // The picture shrinks with the window down to 3/4 of its size, then scrolls inside its
  // box (the end of the axis and the legend stay reachable).
  '.picture { overflow-x: auto; border: 1px solid #ddd; background: #fff; }',
  '.picture svg { display: block; width: 100%; max-width: var(--picture-width); min-width: var(--picture-min); height: auto; }',
  'pre { font-size: 12px; background: #f6f6f6; padding: 8px; overflow-x: auto; }',
].join('\n');

// Runs in the browser: lists each track's boxes (count, first start, last end) as read
// from the SVG. It avoids the characters XML would need escaped, so the page stays
// well-formed XML.
const SCRIPT = `(function () {
  var list = document.getElementById('summary');
  var units = { loop: 'callback', task: 'step', thread: 'turn', host: 'event', network: 'event' };
  var groups = document.getElementsByTagName('g');
  for (var i = 0; i !== groups.length; i++) {
    var g = groups[i];
    if (g.getAttribute('class') !== 'track') continue;
    var boxes = g.getElementsByTagName('rect');
    var n = 0, first = '', last = '';
    for (var j = 0; j !== boxes.length; j++) {
      if (boxes[j].getAttribute('data-start') === null) continue;
      if (n === 0) first = boxes[j].getAttribute('data-start');
      last = boxes[j].getAttribute('data-end');
      n++;
    }
    if (n === 0) continue;
    var kind = g.getAttribute('data-kind');
    var item = document.createElement('li');
    item.setAttribute('data-kind', kind);
    item.textContent = g.getAttribute('data-title') + ': ' + n + ' ' + units[kind] + (n === 1 ? '' : 's') + ', t=' + first + ' to ' + last;
    list.appendChild(item);
  }
  document.documentElement.setAttribute('data-summary', String(list.childNodes.length));
})();`;

// The picture's bounds as it shrinks: its own width at most, 3/4 of it at least.
function pictureStyle(width: number): string {
  return `--picture-width: ${width}px; --picture-min: ${Math.round(width * 0.75)}px`;
}

function facts(events: readonly TraceEvent[], decimals: number, tasks: number, threads: number, hosts: number): string {
  const plural = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;
  const span = events.length === 0
    ? ['no events']
    : [`virtual time ${formatTime(events[0]!.time, decimals)} to ${formatTime(events[events.length - 1]!.time, decimals)}`, plural(events.length, 'event')];
  const network = hosts === 0 ? [] : [plural(hosts, 'host')];
  return [...span, plural(tasks, 'task'), plural(threads, 'thread'), ...network].join(' · ');
}

/**
 * Return a trace as a self-contained HTML page (inline CSS and script, no external
 * resources; the same text for the same program): the `toTimelineSvg` picture, a summary
 * per track (`main: 3 steps, t=0.0 to 2.0`) computed in the browser from the picture, and
 * the trace's text in a collapsible block.
 *
 * The markup is also well-formed XML (XHTML), and the script uses only a few DOM calls, so
 * the page can be checked with an XML parser when no browser is at hand.
 *
 * @example
 * writeFileSync('timeline.html', toTimelineHtml(trace, { title: 'two workers' }));
 * asyncio: none (aiosim testing)
 */
export function toTimelineHtml(source: Trace | readonly TraceEvent[], options?: TimelineOptions): string {
  const timeline = buildTimeline(source, options);
  const picture = timelineSvg(timeline, options);
  const title = options?.title ?? 'aiosim timeline';
  const tasks = timeline.tracks.filter((t) => t.kind === 'task').length;
  const threads = timeline.tracks.filter((t) => t.kind === 'thread').length;
  const hosts = timeline.tracks.filter((t) => t.kind === 'host').length;
  return [
    '<!DOCTYPE html>',
    '<html xmlns="http://www.w3.org/1999/xhtml" lang="en">',
    '<head>',
    '<meta charset="utf-8"/>',
    '<meta name="generator" content="aiosim"/>',
    `<title>${xmlEscape(title)}</title>`,
    `<style>\n${CSS}\n</style>`,
    '</head>',
    '<body>',
    `<h1>${xmlEscape(title)}</h1>`,
    `<p id="facts">${xmlEscape(facts(timeline.events, timeDecimals(timeline.clockResolution), tasks, threads, hosts))}</p>`,
    '<ul id="summary"></ul>',
    `<div class="picture" style="${pictureStyle(picture.width)}">\n${picture.svg}\n</div>`,
    `<details><summary>Trace (${timeline.events.length} events)</summary><pre>${xmlEscape(formatTrace(timeline.events, { clockResolution: timeline.clockResolution }).join('\n'))}</pre></details>`,
    `<script>\n${SCRIPT}\n</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
