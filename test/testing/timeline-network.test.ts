// The network in pictures: a track per host, network events as slices on them, and each
// message as a flow from its send to its delivery, in the Chrome Trace Event JSON
// (toChromeTrace) and the SVG / HTML timeline (toTimelineSvg, toTimelineHtml).

import { runInNewContext } from 'node:vm';
import { beforeEach, describe, expect, it } from 'vitest';
import { _resetSimulation } from '../../src/executor/reset.js';
import { buildTimeline, toChromeTrace, toTimelineHtml, toTimelineSvg, type ChromeTraceEvent } from '../../src/testing/index.js';
import { datagramProgram, loopProgram, out, streamProgram, traced } from '../_support/traced-hosts.js';
import { findAll, miniDocument, parseXml, textOf } from './_xml.js';

beforeEach(() => {
  _resetSimulation();
  out.length = 0;
});

describe('buildTimeline with network events', () => {
  it('has a track per host, in order of first appearance, and none for a loop when the trace has only the network\'s events', () => {
    const timeline = buildTimeline(traced(streamProgram));
    expect(timeline.tracks).toEqual([
      { kind: 'host', name: 'client' },
      { kind: 'host', name: 'server' },
    ]);
  });

  it('puts each event on the host where it happens, a message sent on the sender\'s and delivered on the receiver\'s', () => {
    const timeline = buildTimeline(traced(streamProgram));
    const rows = timeline.slices.map((s) => `${timeline.tracks[s.track]!.name}: ${s.name}`);
    expect(rows).toEqual([
      'client: connection 1 client 10.0.0.2:32768 -> server 10.0.0.1:8888: connected',
      'client: message 1 client -> server: 3 bytes sent',
      'server: connection 1 server 10.0.0.1:8888 -> client 10.0.0.2:32768: accepted',
      'server: message 1 client -> server: 3 bytes delivered',
      'server: message 2 server -> client: 3 bytes sent',
      'client: message 2 server -> client: 3 bytes delivered',
      'client: fault partition client -> server',
      'server: fault partition server -> client',
      'client: message 3 client -> server: 3 bytes sent',
      'client: fault repair client -> server',
      'server: fault repair server -> client',
      'server: message 3 client -> server: 3 bytes delivered',
      'server: message 4 server -> client: 3 bytes sent',
      'client: message 4 server -> client: 3 bytes delivered',
      'client: connection 1 client 10.0.0.2:32768 -> server 10.0.0.1:8888: FIN sent',
    ]);
    expect(timeline.slices.every((s) => s.first === s.last && s.start === s.end)).toBe(true);
  });

  it('puts a loop\'s tracks first, then the hosts\'', () => {
    const timeline = buildTimeline(loopProgram());
    expect(timeline.tracks).toEqual([
      { kind: 'loop', name: 'loop' },
      { kind: 'task', name: 'main' },
      { kind: 'host', name: 'localhost' },
    ]);
    const steps = timeline.slices.filter((s) => s.kind === 'step');
    const sent = timeline.slices.findIndex((s) => s.kind === 'message' && s.name.endsWith(' sent'));
    // The send happened inside a step of main: that step's span holds it.
    expect(steps.some((s) => s.first < timeline.slices[sent]!.first && timeline.slices[sent]!.first <= s.last)).toBe(true);
    expect(timeline.flows.filter((f) => f.kind === 'message').map((f) => [f.from, f.to])).toEqual([[sent, sent + 1]]);
  });

  it('has a flow per message delivered, from its send to its delivery (two for a datagram delivered twice)', () => {
    const stream = buildTimeline(traced(streamProgram));
    const flows = (t: typeof stream): string[] => t.flows.map((f) => `${f.kind}: ${t.slices[f.from]!.name} => ${t.slices[f.to]!.name}`);
    expect(flows(stream)).toEqual([1, 2, 3, 4].map((n) => {
      const [from, to] = n % 2 === 1 ? ['client', 'server'] : ['server', 'client'];
      return `message: message ${n} ${from} -> ${to}: 3 bytes sent => message ${n} ${from} -> ${to}: 3 bytes delivered`;
    }));
    _resetSimulation();
    const datagrams = buildTimeline(traced(datagramProgram));
    expect(flows(datagrams)).toEqual([
      'message: message 2 a -> b: datagram of 5 bytes sent => message 2 a -> b: datagram of 5 bytes delivered',
      'message: message 2 a -> b: datagram of 5 bytes sent => message 2 a -> b: datagram of 5 bytes delivered',
    ]);
  });
});

describe('toChromeTrace with network events', () => {
  it('names a track per host and puts each event in a slice of its host\'s track', () => {
    const json = toChromeTrace(traced(streamProgram));
    const names = json.traceEvents.filter((e) => e.name === 'thread_name').map((e) => [e.tid, e.args!.name]);
    expect(names).toEqual([[1, 'host client'], [2, 'host server']]);
    const slices = json.traceEvents.filter((e) => e.ph === 'X');
    expect(slices).toHaveLength(15);
    expect(new Set(slices.map((s) => s.cat))).toEqual(new Set(['connection', 'message', 'fault']));
    const sent = slices.find((s) => s.name === 'message 1 client -> server: 3 bytes sent')!;
    expect(sent.tid).toBe(1);
    expect(sent.args).toMatchObject({ time: 0.02, message: 1, transport: 'tcp', bytes: 3, from: 'client', to: 'server', fromAddress: '10.0.0.2:32768', toAddress: '10.0.0.1:8888', action: 'sent' });
  });

  it('draws each message as an s/f flow pair with a unique id, from the sender\'s slice to the receiver\'s', () => {
    const json = toChromeTrace(traced(streamProgram));
    const events = json.traceEvents;
    const starts = events.filter((e) => e.ph === 's');
    const ends = events.filter((e) => e.ph === 'f');
    expect(starts).toHaveLength(4);
    expect(ends.map((e) => e.id)).toEqual(starts.map((e) => e.id));
    expect(new Set(starts.map((e) => e.id)).size).toBe(4);
    const slices = events.filter((e) => e.ph === 'X');
    const sliceAround = (e: ChromeTraceEvent): ChromeTraceEvent | undefined =>
      slices.find((s) => s.tid === e.tid && s.ts! <= e.ts! && e.ts! < s.ts! + s.dur!);
    starts.forEach((s, k) => {
      const f = ends[k]!;
      expect([s.cat, f.cat, f.bp]).toEqual(['message', 'message', 'e']);
      expect(f.name).toBe(s.name);
      expect(s.ts!).toBeLessThan(f.ts!);
      const from = sliceAround(s)!;
      const to = sliceAround(f)!;
      expect(from.name).toMatch(/ sent$/);
      expect(to.name).toBe(from.name.replace(/ sent$/, ' delivered'));
      expect(to.tid).not.toBe(from.tid);
    });
  });

  it('is the same JSON every run', () => {
    const first = JSON.stringify(toChromeTrace(traced(streamProgram)));
    _resetSimulation();
    expect(JSON.stringify(toChromeTrace(traced(streamProgram)))).toBe(first);
  });
});

describe('toTimelineSvg and toTimelineHtml with network events', () => {
  it('draws a lane per host, the events as boxes and the messages as arrows between the lanes', () => {
    const svg = parseXml(toTimelineSvg(traced(datagramProgram)));
    const tracks = findAll(svg, (el) => el.attrs.get('class') === 'track');
    expect(tracks.map((t) => [t.attrs.get('data-kind'), t.attrs.get('data-title')])).toEqual([
      ['host', 'host a'], ['host', 'host b'],
    ]);
    const boxes = (i: number): string[] => findAll(tracks[i]!, (el) => el.name === 'rect' && el.attrs.has('data-start')).map((r) => r.attrs.get('class')!);
    expect(boxes(0)).toEqual(['slice fault', 'slice fault', 'slice message', 'slice message', 'slice message']);
    expect(boxes(1)).toEqual(['slice message lost', 'slice message', 'slice message', 'slice message lost']);
    const flows = findAll(svg, (el) => el.attrs.get('class') === 'flows')[0]!;
    const arrows = findAll(flows, (el) => el.name === 'path' && el.attrs.get('class') === 'flow message');
    expect(arrows.map((a) => textOf(a))).toEqual([
      'message: message 2 a -> b: datagram of 5 bytes delivered',
      'message: message 2 a -> b: datagram of 5 bytes delivered',
    ]);
    const legend = findAll(svg, (el) => el.attrs.get('class') === 'legend-item').map((g) => g.attrs.get('data-key'));
    expect(legend).toEqual(['message', 'message lost', 'fault', 'flow message']);
    const css = textOf(findAll(svg, (el) => el.name === 'style')[0]!);
    for (const rule of ['.message {', '.message.lost {', '.fault {', '.connection {', '.flow.message {']) expect(css).toContain(rule);
  });

  it('draws the picture docs/network.md and docs/testing.md show (update it with vitest -u)', async () => {
    await expect(toTimelineSvg(traced(streamProgram), { title: 'an echo across a partition' })).toMatchFileSnapshot('../../docs/images/timeline-network.svg');
  });

  it('is the same picture every run', () => {
    const first = toTimelineHtml(traced(streamProgram), { title: 'two hosts' });
    _resetSimulation();
    expect(toTimelineHtml(traced(streamProgram), { title: 'two hosts' })).toBe(first);
  });

  it('lists the hosts in the page\'s facts and summary', () => {
    const html = parseXml(toTimelineHtml(traced(streamProgram), { title: 'two hosts' }));
    const facts = findAll(html, (el) => el.attrs.get('id') === 'facts')[0]!;
    expect(textOf(facts)).toBe('virtual time 0.02 to 0.56 · 15 events · 0 tasks · 0 threads · 2 hosts');
    const script = textOf(findAll(html, (el) => el.name === 'script')[0]!);
    runInNewContext(script, { document: miniDocument(html) });
    const summary = findAll(html, (el) => el.attrs.get('id') === 'summary')[0]!;
    expect(summary.children.map(textOf)).toEqual(['host client: 8 events, t=0.02 to 0.56', 'host server: 7 events, t=0.03 to 0.55']);
  });
});
