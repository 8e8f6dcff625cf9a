import { test, assert, fixtures } from './runner.js';
import { createFacts } from '../facts.js';
import * as steps from '../steps.js';

const facts = () => createFacts(fixtures().manifest);

test('steps: next opens the presentation at step 1, then stops at the last step', () => {
  const total = facts().steps;
  assert.deepEqual(steps.next({ presenting: false, step: total }, total), { presenting: true, step: 1 });
  assert.deepEqual(steps.next({ presenting: true, step: 2 }, total), { presenting: true, step: 3 });
  assert.deepEqual(steps.next({ presenting: true, step: total }, total), { presenting: true, step: total });
});

test('steps: prev stops at step 1 and does nothing outside the presentation', () => {
  const total = facts().steps;
  assert.deepEqual(steps.prev({ presenting: true, step: 3 }), { presenting: true, step: 2 });
  assert.deepEqual(steps.prev({ presenting: true, step: 1 }), { presenting: true, step: 1 });
  assert.deepEqual(steps.prev({ presenting: false, step: total }), { presenting: false, step: total });
});

test('steps: first, last, goto, and present on and off', () => {
  const total = facts().steps;
  assert.deepEqual(steps.first(), { presenting: true, step: 1 });
  assert.deepEqual(steps.last({ presenting: false, step: total }, total), { presenting: true, step: total });
  assert.deepEqual(steps.goto(4), { presenting: true, step: 4 });
  assert.deepEqual(steps.togglePresent({ presenting: false, step: total }, total), { presenting: true, step: 1 });
  assert.deepEqual(steps.togglePresent({ presenting: true, step: 3 }, total), { presenting: false, step: total });
});

test('steps: isStep accepts whole numbers from 1 to the last step only', () => {
  const total = facts().steps;
  assert.equal(total, 6, 'the model has six steps');
  for (const n of [1, 2, total]) assert.ok(steps.isStep(n, total), String(n));
  for (const n of [0, -1, total + 1, 2.5, '2', null, undefined, NaN]) assert.ok(!steps.isStep(n, total), String(n));
});

test('steps: which step shows which part is the model\'s (through the manifest)', () => {
  const f = facts();
  const shows = (step, part) => steps.shows(f, { presenting: true, step }, part);
  assert.ok(shows(1, 'connectivism') && !shows(1, 'cop') && !shows(1, 'pln') && !shows(1, 'connections'), 'step 1: the brain alone');
  assert.ok(shows(2, 'cop') && !shows(2, 'pln'), 'step 2: the ring joins');
  assert.ok(shows(3, 'pln') && !shows(3, 'connections'), 'step 3: the network appears');
  assert.ok(shows(4, 'connections'), 'step 4: connections flow');
  for (const p of f.parts) assert.ok(steps.shows(f, { presenting: false, step: f.steps }, p), 'the whole picture shows ' + p);
});
