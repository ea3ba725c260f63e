// SPDX-License-Identifier: MIT
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import { createClickGuard, clickPoint, MIN_SHOWN_MS } from '../../src/prompt/click-guard.js';

function setup({ hasVisibility = false } = {}) {
  const dom = new JSDOM('<!doctype html><main><button id="b">Save</button></main>', { pretendToBeVisual: true });
  const doc = dom.window.document;
  let clock = 1000;
  let visibility = 'visible';
  Object.defineProperty(doc, 'visibilityState', { get: () => visibility });
  const observers = [];
  class Observer {
    constructor(callback, options) {
      this.callback = callback;
      this.options = options;
      observers.push(this);
    }

    observe(el) { this.el = el; }
  }
  const guard = createClickGuard({ doc, now: () => clock, Observer, hasVisibility });
  guard.watch(doc.querySelector('main'));
  const trusted = { isTrusted: true };
  return {
    doc, guard, observers, trusted,
    advance: (ms) => { clock += ms; },
    hide: () => { visibility = 'hidden'; doc.dispatchEvent(new dom.window.Event('visibilitychange')); },
    showAgain: () => { visibility = 'visible'; doc.dispatchEvent(new dom.window.Event('visibilitychange')); },
  };
}

test('a click counts only when real and after the question was on screen 500 ms', () => {
  const { guard, trusted, advance } = setup();
  assert.equal(guard.refused(trusted), 'too-soon', 'nothing shown yet');
  guard.shown();
  advance(MIN_SHOWN_MS - 1);
  assert.equal(guard.refused(trusted), 'too-soon');
  advance(1);
  assert.equal(guard.refused(trusted), null);
  assert.equal(guard.refused({ isTrusted: false }), 'untrusted', 'a click made by script');
});

test('a hidden page refuses, and coming back restarts the 500 ms', () => {
  const { guard, trusted, advance, hide, showAgain } = setup();
  guard.shown();
  advance(2000);
  hide();
  assert.equal(guard.refused(trusted), 'hidden');
  showAgain();
  assert.equal(guard.refused(trusted), 'too-soon');
  advance(MIN_SHOWN_MS);
  assert.equal(guard.refused(trusted), null);
});

test('with IntersectionObserver v2: refused until reported visible, and while covered', () => {
  const { guard, observers, trusted, advance } = setup({ hasVisibility: true });
  assert.equal(observers.length, 1);
  assert.equal(observers[0].options.trackVisibility, true);
  guard.shown();
  advance(2000);
  assert.equal(guard.refused(trusted), 'covered', 'not yet reported visible');
  observers[0].callback([{ isVisible: true }]);
  assert.equal(guard.refused(trusted), 'too-soon', 'visible from now on');
  advance(MIN_SHOWN_MS);
  assert.equal(guard.refused(trusted), null);
  observers[0].callback([{ isVisible: false }]); // The page put something over it, or made it transparent.
  assert.equal(guard.refused(trusted), 'covered');
  observers[0].callback([{ isVisible: true }]);
  assert.equal(guard.refused(trusted), 'too-soon', 'the 500 ms count again once uncovered');
});

test('the click point: the pointer, or the button centre for a key press', () => {
  const button = { getBoundingClientRect: () => ({ left: 12, top: 250, width: 60, height: 28 }) };
  assert.deepEqual(clickPoint({ detail: 1, clientX: 40.4, clientY: 260 }, button), { x: 40, y: 260 });
  assert.deepEqual(clickPoint({ detail: 0, clientX: 0, clientY: 0 }, button), { x: 42, y: 264 });
});
