import { beforeEach, describe, expect, it } from 'vitest';
import { world } from '../../src/runtime/world.js';

beforeEach(() => {
  world._reset();
});

describe('World.scheduleUrgent', () => {
  it('runs a step now, before the steps already pending at this instant, FIFO among urgent ones', () => {
    const seen: string[] = [];
    world.schedule(0, () => {
      seen.push('a');
      world.scheduleUrgent(() => seen.push('urgent 1'));
      world.scheduleUrgent(() => seen.push('urgent 2'));
    });
    world.schedule(0, () => seen.push('b'));
    world.schedule(1, () => seen.push('c'));
    expect(world.runUntil(0)).toBe(false);
    expect(seen).toEqual(['a', 'urgent 1', 'urgent 2', 'b']);
    expect([world.hasEvents, world.nextTime()]).toEqual([true, 1]);
    world.scheduleUrgent(() => seen.push('urgent 3'));
    expect(world.nextTime()).toBe(0);
    world.runNext();
    expect(seen.at(-1)).toBe('urgent 3');
  });

  it('stops before an urgent step when asked to', () => {
    let ran = false;
    world.scheduleUrgent(() => { ran = true; });
    expect(world.runUntil(10, () => true)).toBe(true);
    expect(ran).toBe(false);
    world._reset();
    expect(world.hasEvents).toBe(false);
  });
});

describe('World._stallNotes', () => {
  it('collects the lines of every note, and a reset forgets them', () => {
    world._stallNotes.add(() => ["host 'a' (pid 2):", '  no task is pending']);
    world._stallNotes.add(() => ["host 'b' (pid 3):"]);
    expect(world._stallLines()).toEqual(["host 'a' (pid 2):", '  no task is pending', "host 'b' (pid 3):"]);
    world._reset();
    expect(world._stallLines()).toEqual([]);
  });
});
