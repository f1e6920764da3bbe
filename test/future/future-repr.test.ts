// Future's repr (String(fut) and repr(fut)): asyncio's `<Future state ...>` format.
// Every expected text is what `repr(fut)` printed for the equivalent Python program on
// CPython 3.13.2, compared after normaliseSites (file:line and 0x ids differ).

import { describe, expect, it } from 'vitest';
import { EventLoop, Future, RuntimeError, ValueError, repr } from '../../src/index.js';
import { normaliseSites } from '../_support/capture.js';

/** The future's repr with sites normalised; also checks that String() and repr() agree. */
function shown(fut: Future<unknown>): string {
  const text = String(fut);
  expect(repr(fut)).toBe(text);
  return normaliseSites(text);
}

/** `<Future finished result=...>` for a future whose result is `value`. */
function finishedWith(value: unknown): string {
  const fut = new EventLoop().createFuture();
  fut.setResult(value);
  return shown(fut);
}

// Python: def f(fut): pass / def first(fut): pass / def last(fut): pass
function f(_fut: unknown): void {}
function first(_fut: unknown): void {}
function last(_fut: unknown): void {}

describe('Future repr', () => {
  describe('state', () => {
    it('shows a pending future as <Future pending>', () => {
      expect(shown(new EventLoop().createFuture())).toBe('<Future pending>');
    });

    it('shows a cancelled future as <Future cancelled>, without its callbacks', () => {
      const fut = new EventLoop().createFuture();
      fut.addDoneCallback(f);
      fut.cancel();
      expect(shown(fut)).toBe('<Future cancelled>');
    });

    it('shows the result of a finished future', () => {
      expect(finishedWith(4)).toBe('<Future finished result=4>');
    });

    it('shows the exception of a failed future, not clipped', () => {
      const fut = new EventLoop().createFuture();
      fut.setException(new RuntimeError());
      expect(shown(fut)).toBe('<Future finished exception=RuntimeError()>');
      const long = new EventLoop().createFuture();
      long.setException(new ValueError('x'.repeat(50)));
      expect(shown(long)).toBe(`<Future finished exception=ValueError('${'x'.repeat(50)}')>`);
    });

    it('uses the class name of a subclass', () => {
      class MyFut extends Future {}
      expect(shown(new MyFut({ loop: new EventLoop() }))).toBe('<MyFut pending>');
    });
  });

  describe('result=', () => {
    it('shows simple results with repr()', () => {
      expect([undefined, 'abc', 1.5, true, [1, 'two', undefined], {}, []].map(finishedWith)).toEqual([
        '<Future finished result=None>',
        "<Future finished result='abc'>",
        '<Future finished result=1.5>',
        '<Future finished result=True>',
        "<Future finished result=[1, 'two', None]>",
        '<Future finished result={}>',
        '<Future finished result=[]>',
      ]);
    });

    it('clips a long string to 30 characters, as reprlib does', () => {
      expect(finishedWith('x'.repeat(100))).toBe("<Future finished result='xxxxxxxxxxxx...xxxxxxxxxxxxx'>");
    });

    it('shows at most 6 list items and 4 dict entries, the dict sorted by key', () => {
      expect(finishedWith(Array.from({ length: 100 }, (_, i) => i))).toBe('<Future finished result=[0, 1, 2, 3, 4, 5, ...]>');
      // {'k': 'v' * 40, 'a': 1, 'b': 2, 'c': 3, 'd': 4}
      expect(finishedWith({ k: 'v'.repeat(40), a: 1, b: 2, c: 3, d: 4 })).toBe(
        "<Future finished result={'a': 1, 'b': 2, 'c': 3, 'd': 4, ...}>",
      );
    });

    it('stops at 6 levels of nesting and clips a long integer to 40 digits', () => {
      expect(finishedWith([[[[[[[1]]]]]]])).toBe('<Future finished result=[[[[[[[...]]]]]]]>');
      expect(finishedWith(10n ** 50n)).toBe('<Future finished result=100000000000000000...0000000000000000000>');
    });

    it('makes up <Class instance at 0x…> for a result whose repr throws, instead of throwing', () => {
      // class Bad: def __repr__(self): raise ValueError('no repr')
      // f.set_result(Bad()): <Future finished result=<Bad instance at 0xf6c248>>; [Bad(), 1] likewise
      class Bad {
        toString(): string {
          throw new Error('no repr');
        }
      }
      expect(finishedWith(new Bad())).toBe('<Future finished result=<Bad instance at 0x?>>');
      expect(finishedWith([new Bad(), 1])).toBe('<Future finished result=[<Bad instance at 0x?>, 1]>');
    });
  });

  describe('cb=', () => {
    it('names one callback with its source site', () => {
      const fut = new EventLoop().createFuture();
      fut.addDoneCallback(f);
      expect(shown(fut)).toBe('<Future pending cb=[f() at F:L]>');
    });

    it('names two callbacks', () => {
      const fut = new EventLoop().createFuture();
      fut.addDoneCallback(f);
      fut.addDoneCallback(last);
      expect(shown(fut)).toBe('<Future pending cb=[f() at F:L, last() at F:L]>');
    });

    it('names the first and the last of three or more, counting the others', () => {
      const three = new EventLoop().createFuture();
      three.addDoneCallback(f);
      three.addDoneCallback(last);
      three.addDoneCallback(() => {});
      expect(shown(three)).toBe('<Future pending cb=[f() at F:L, <1 more>, <lambda>() at F:L]>');
      const ten = new EventLoop().createFuture();
      ten.addDoneCallback(first);
      for (let i = 0; i < 8; i++) ten.addDoneCallback(f);
      ten.addDoneCallback(last);
      expect(shown(ten)).toBe('<Future pending cb=[first() at F:L, <8 more>, last() at F:L]>');
    });

    it('drops the callbacks once the future is done', () => {
      const fut = new EventLoop().createFuture();
      fut.addDoneCallback(first);
      fut.addDoneCallback(last);
      fut.setResult(4);
      expect(shown(fut)).toBe('<Future finished result=4>');
    });
  });

  describe('recursion', () => {
    it("prints '...' for a future inside its own result", () => {
      const inList = new EventLoop().createFuture();
      inList.setResult([inList]);
      expect(shown(inList)).toBe('<Future finished result=[...]>');
      const itself = new EventLoop().createFuture();
      itself.setResult(itself);
      expect(shown(itself)).toBe('<Future finished result=...>');
      const inDict = new EventLoop().createFuture();
      inDict.setResult({ me: inDict });
      expect(shown(inDict)).toBe("<Future finished result={'me': ...}>");
    });

    it("prints '...' where two futures hold each other", () => {
      const loop = new EventLoop();
      const a = loop.createFuture();
      const b = loop.createFuture();
      a.setResult([b]);
      b.setResult([a]);
      expect(shown(a)).toBe('<Future finished result=[<Future finished result=[...]>]>');
    });
  });

  describe('debug mode', () => {
    it('adds where the future was created, in every state', () => {
      const loop = new EventLoop({ debug: true });
      const fut = loop.createFuture();
      expect(shown(fut)).toBe('<Future pending created at F:L>');
      fut.addDoneCallback(f);
      expect(shown(fut)).toBe('<Future pending cb=[f() at F:L] created at F:L>');
      fut.setResult(4);
      expect(shown(fut)).toBe('<Future finished result=4 created at F:L>');
      const cancelled = loop.createFuture();
      cancelled.cancel();
      expect(shown(cancelled)).toBe('<Future cancelled created at F:L>');
    });

    it('names the caller of new Future() as the creation site', () => {
      // CPython: asyncio.Future(loop=loop) -> '<Future pending created at prog.py:49>', the caller's line
      const fut = new Future({ loop: new EventLoop({ debug: true }) });
      expect(String(fut)).toMatch(/^<Future pending created at test\/future\/future-repr\.test\.ts:\d+>$/);
    });

    it('adds nothing for a future created before debug mode was turned on', () => {
      const loop = new EventLoop({ debug: false });
      const fut = loop.createFuture();
      loop.setDebug(true);
      expect(shown(fut)).toBe('<Future pending>');
    });
  });
});
