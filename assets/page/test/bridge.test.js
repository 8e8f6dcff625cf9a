import { test, assert } from './runner.js';
import { createBridge } from '../bridge.js';
import { pageStore } from './state.test.js';

// A program stand-in that records the commands it gets.
function program(search) {
  const p = pageStore(search);
  const rest = { release() {}, idle() {}, frame(cb) { cb(); } };
  const win = { performance: { mark() {} }, requestAnimationFrame(f) { f(); }, setTimeout(f) { f(); } };
  const bridge = createBridge({ store: p.store, actions: p.actions, rest, win });
  const commands = [];
  const connect = () => {
    bridge.start(p.store.getState(), '{}', null);
    win.diagramBridge.command = (name, arg) => commands.push(arg === undefined ? [name] : [name, arg]);
    win.diagramBridge.connected();
  };
  return Object.assign(p, { bridge, win, commands, connect, event: (n, e) => win.diagramBridge.onEvent(n, e) });
}

test('bridge: the program starts from the state and is sent only what differs', () => {
  const p = program('?step=3&paused=1');
  const opts = () => p.win.diagramBridge.options;
  p.actions.setStage({ x: 0, y: 56, width: 900, height: 664 });
  p.actions.next(); // while it loads
  p.connect();
  assert.deepEqual([opts().present, opts().step, opts().paused], [true, 4, true]);
  assert.deepEqual(p.commands, [['stage', { x: 0, y: 56, width: 900, height: 664 }]], 'the options said the rest');
  p.commands.length = 0;
  p.actions.next();
  p.actions.setPlaying(true);
  p.actions.setPlaying(true);
  p.actions.setSpeed(2);
  p.actions.setProfile('projector');
  p.actions.setFocus('cop');
  p.actions.setVisible(false);
  p.actions.togglePresent();
  assert.deepEqual(p.commands, [['goto', 5], ['play'], ['speed', 2], ['profile', 'projector'], ['focus', 'cop'], ['visible', 0], ['present', 0]]);
});

test('bridge: what the program says is not sent back to it', () => {
  const p = program('?paused=1');
  p.connect();
  p.commands.length = 0;
  p.event('select', { part: 'pln', person: 14, ring: 'pln', kind: 'book', role: 0 });
  p.event('hover', { part: 'pln', person: 14, ring: 'pln', kind: 'book', role: 0 });
  assert.equal(p.store.getState().selection.kind, 'book');
  assert.equal(p.store.getState().hover.person, 14);
  assert.deepEqual(p.commands, []);
  p.actions.select('pln'); // the part, after one of its members
  assert.deepEqual(p.commands, [['select', 'pln']]);
  p.event('select', { part: 'pln', person: -1, ring: '', role: 0 }); // its confirmation
  p.event('select', { part: '', person: -1, ring: '', role: 0 }); // a click on empty space
  assert.deepEqual(p.commands, [['select', 'pln']]);
  assert.equal(p.store.getState().selection.part, '');
});

test('bridge: failures say what failed', () => {
  let p = program('');
  p.connect();
  p.event('error', { kind: 'content', message: 'cop.people: 40 is out of range' });
  assert.deepEqual(p.store.getState().error, { kind: 'content', detail: 'cop.people: 40 is out of range', retry: false });
  p = program('');
  p.connect();
  p.event('error', { kind: 'program', message: 'webgl: context lost' });
  assert.equal(p.store.getState().error.kind, 'program');
  p.commands.length = 0;
  p.actions.next();
  assert.deepEqual(p.commands, [], 'nothing is sent to a program that stopped');
});

test('bridge: an export is answered in order', async () => {
  const p = program('');
  const a = p.bridge.requestSVG(['a']); // before it connects: sent once it does
  p.connect();
  const b = p.bridge.requestSVG(['b']);
  assert.deepEqual(p.commands.filter((c) => c[0] === 'exportSVG'), [['exportSVG', ['a']], ['exportSVG', ['b']]]);
  p.event('svg', { svg: '<svg>1</svg>' });
  p.event('svg', { svg: '<svg>2</svg>' });
  assert.deepEqual([await a, await b], ['<svg>1</svg>', '<svg>2</svg>']);
});
