import { test, assert, fixtures } from './runner.js';
import { createFacts, noTarget } from '../facts.js';
import { parseOptions } from '../options.js';
import { createPageStore } from '../state.js';

export function pageStore(search = '', env = {}) {
  const facts = createFacts(fixtures().manifest);
  const opts = parseOptions(search, facts, () => {});
  const { store, actions } = createPageStore(opts, facts, env);
  const changes = [];
  store.subscribe((st, prev) => changes.push([st, prev]));
  return { facts, store, actions, changes };
}

test('state: starts from the address', () => {
  const { store, facts } = pageStore('?step=3&paused=1&colorProfile=projector');
  const s = store.getState();
  assert.deepEqual([s.presenting, s.step, s.playing, s.profile, s.phase], [true, 3, false, 'projector', 'loading']);
  assert.equal(pageStore('').store.getState().step, facts.steps, 'outside the presentation the picture is whole: the last step');
  assert.equal(pageStore('', { prefersReducedMotion: true }).store.getState().playing, false, 'reduced motion starts paused');
  assert.equal(pageStore('?motion=full', { prefersReducedMotion: true }).store.getState().playing, true, '?motion=full overrides it');
  assert.equal(pageStore('?embed=1').store.getState().active, false, 'embedded: no keys until explored');
});

test('state: pausing twice is one change', () => {
  const { actions, changes } = pageStore('');
  actions.setPlaying(false);
  actions.setPlaying(false);
  actions.togglePlaying();
  actions.setPlaying(true);
  assert.equal(changes.length, 2);
  assert.deepEqual(changes.map(([s]) => s.playing), [false, true]);
});

test('state: a step that hides the selected part drops it in the same change', () => {
  const { store, actions, changes } = pageStore('?step=4');
  actions.select('pln');
  changes.length = 0;
  actions.goto(2);
  assert.equal(changes.length, 1, 'one change');
  const s = store.getState();
  assert.deepEqual([s.step, s.selection.part], [2, '']);
  actions.select('cop');
  actions.goto(3); // the ring is still there
  assert.equal(store.getState().selection.part, 'cop');
  actions.togglePresent(); // the whole picture shows everything
  assert.equal(store.getState().selection.part, 'cop');
});

test('state: the same target again is no change, a person is not its part', () => {
  const { store, actions, changes } = pageStore('');
  actions.selected({ part: 'cop', person: 3, ring: 'cop', kind: 'person', role: 3 });
  actions.selected({ part: 'cop', person: 3, ring: 'cop', kind: 'person', role: 3 });
  assert.equal(changes.length, 1);
  actions.select('cop');
  assert.equal(changes.length, 2, 'the part after its member');
  assert.deepEqual(store.getState().selection, { part: 'cop', person: -1, ring: '', kind: '', role: 0 });
  actions.selected({ part: '', person: -1 });
  assert.ok(store.getState().selection === noTarget);
  actions.hovered({ part: 'pln', person: 20, ring: 'pln', role: 2 }); // the program before it named kinds
  assert.equal(store.getState().hover.kind, 'person');
});

test('state: the system\'s reduced motion pauses, unless the address fixed motion', () => {
  const a = pageStore('');
  a.actions.systemMotion(true);
  assert.deepEqual([a.store.getState().reducedMotion, a.store.getState().playing], [true, false]);
  a.actions.systemMotion(false);
  assert.deepEqual([a.store.getState().reducedMotion, a.store.getState().playing], [false, false], 'it stays paused');
  const b = pageStore('?motion=full');
  b.actions.systemMotion(true);
  assert.equal(b.changes.length, 0);
});

test('state: opening a dialog or the description closes the menu', () => {
  const { store, actions } = pageStore('');
  actions.setMenu(true);
  actions.openDialog('help');
  assert.deepEqual([store.getState().menu, store.getState().dialog], [false, 'help']);
  actions.closeDialog();
  actions.setMenu(true);
  actions.setSheet(true);
  assert.deepEqual([store.getState().menu, store.getState().sheet], [false, true]);
});
