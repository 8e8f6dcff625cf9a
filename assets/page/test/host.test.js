import { test, assert, fixtures } from './runner.js';
import { createFacts } from '../facts.js';
import { checkCommand, preferredHeight, createHost } from '../host.js';
import { pageStore } from './state.test.js';

const facts = () => createFacts(fixtures().manifest);
const cmd = (o) => Object.assign({ type: 'diagram:command' }, o);

test('host: valid commands', () => {
  const f = facts();
  assert.deepEqual(checkCommand(cmd({ command: 'next' }), f), { command: 'next' });
  assert.deepEqual(checkCommand(cmd({ command: 'prev' }), f), { command: 'prev' });
  assert.deepEqual(checkCommand(cmd({ command: 'pause' }), f), { command: 'pause' });
  assert.deepEqual(checkCommand(cmd({ command: 'play' }), f), { command: 'play' });
  assert.deepEqual(checkCommand(cmd({ command: 'goto', step: 1 }), f), { command: 'goto', step: 1 });
  assert.deepEqual(checkCommand(cmd({ command: 'goto', step: f.steps }), f), { command: 'goto', step: f.steps });
  for (const p of f.parts) assert.deepEqual(checkCommand(cmd({ command: 'select', part: p }), f), { command: 'select', part: p });
  for (const p of [null, '', undefined]) assert.deepEqual(checkCommand(cmd({ command: 'select', part: p }), f), { command: 'select', part: '' });
  assert.deepEqual(checkCommand({ subject: 'lti.frameResize', height: 400 }, f), { ignore: true });
});

test('host: malformed and unknown messages are refused, saying why', () => {
  const f = facts();
  for (const [m, why] of [
    ['garbage', 'plain object'], [[1, 2], 'plain object'], [null, 'plain object'], [42, 'plain object'],
    [{ type: 'other' }, 'diagram:command'],
    [cmd({ command: 'explode' }), 'unknown command'],
    [cmd({ command: 'goto', step: f.steps + 1 }), 'from 1 to ' + f.steps],
    [cmd({ command: 'goto', step: 0 }), 'whole number'],
    [cmd({ command: 'goto', step: '2' }), 'whole number'],
    [cmd({ command: 'goto', step: 2.5 }), 'whole number'],
    [cmd({ command: 'goto' }), 'whole number'],
    [cmd({ command: 'select', part: 'brain' }), 'one of connectivism, cop, pln, connections'],
    [cmd({ command: 'select', part: 3 }), 'one of'],
  ]) {
    const r = checkCommand(m, f);
    assert.ok(r.error && r.error.indexOf(why) >= 0, JSON.stringify(m) + ' → ' + JSON.stringify(r));
  }
});

test('host: the preferred height has the diagram\'s shape', () => {
  const f = facts();
  assert.equal(preferredHeight(1000, f), Math.round(1000 / f.manifest.aspectRatio));
  assert.equal(preferredHeight(800, f), 500);
  assert.equal(preferredHeight(100, f), 200, 'at least 200');
  assert.equal(preferredHeight(5000, f), 1400, 'at most 1400');
});

// A frame whose parent records what it is told.
function framed() {
  const posted = [], listeners = {};
  const parent = { postMessage: (m) => posted.push(m) };
  const win = { parent, addEventListener: (t, f) => { listeners[t] = f; } };
  const send = (data) => listeners.message({ source: parent, data });
  return { win, posted, send, events: () => posted.filter((m) => m.type === 'diagram:event').map((m) => m.event) };
}

test('host: each change is posted once, and commands go through the store', () => {
  const { facts: f, store, actions } = pageStore('?paused=1');
  const h = framed();
  createHost({ store, actions, facts: f, win: h.win });
  actions.ready();
  assert.deepEqual(h.events(), ['ready', 'resize']);
  assert.ok(h.posted.some((m) => m.subject === 'lti.frameResize'), 'Canvas LMS hears the size too');
  h.posted.length = 0;
  h.send(cmd({ command: 'play' }));
  h.send(cmd({ command: 'play' }));
  h.send(cmd({ command: 'pause' }));
  assert.deepEqual(h.events(), ['play', 'pause'], 'one event per change');
  h.posted.length = 0;
  h.send(cmd({ command: 'goto', step: 4 }));
  h.send(cmd({ command: 'select', part: 'pln' }));
  h.send(cmd({ command: 'goto', step: 1 })); // hides the network: the selection goes too
  assert.deepEqual(h.events(), ['step', 'select', 'step', 'select']);
  const last = h.posted[h.posted.length - 1];
  assert.deepEqual([last.step, last.presenting, last.part, typeof last.height], [1, true, null, 'number']);
  h.posted.length = 0;
  h.send(cmd({ command: 'goto', step: 99 }));
  h.send({ type: 'diagram:command', command: 'select', part: 'brain' });
  assert.equal(h.posted.length, 0, 'refused commands change nothing');
  assert.equal(store.getState().step, 1);
});
