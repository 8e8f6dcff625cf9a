import { test, assert, fixtures } from './runner.js';
import { createFacts } from '../facts.js';
import { t, memberWords, targetName } from '../words.js';
import { memberLists } from '../description.js';

const en = () => fixtures().words.en;

test('words: t looks up keys and fills placeholders', () => {
  const w = en();
  assert.equal(t(w, 'parts.cop.title'), 'Community of Practice');
  assert.equal(t(w, 'ui.stepOf', { step: 2, total: 6 }), 'Step 2 of 6');
  assert.equal(t(w, 'ui.nothing.here'), '');
  assert.equal(t(null, 'ui.pause'), '');
});

test('words: a member is said by its kind', () => {
  for (const lang of ['en', 'es', 'fr']) {
    const w = fixtures().words[lang];
    assert.deepEqual(memberWords(w, { ring: 'cop', kind: 'person', role: 1 }), w.roles.cop[1], lang + ' ring person');
    assert.deepEqual(memberWords(w, { ring: 'pln', kind: 'person', role: w.roles.pln.length + 2 }), w.roles.pln[2], lang + ' the list wraps');
    assert.deepEqual(memberWords(w, { ring: 'cop', kind: 'newcomer', role: 5 }), w.roles.newcomer, lang + ' newcomer');
    for (const kind of ['book', 'video', 'podcast', 'article']) {
      const list = w.resources[kind];
      assert.deepEqual(memberWords(w, { ring: 'pln', kind, role: 1 }), list[1 % list.length], lang + ' ' + kind);
    }
  }
  // Before the program named kinds, and for words that lack them.
  assert.deepEqual(memberWords(en(), { ring: 'pln', role: 0 }), en().roles.pln[0]);
  assert.equal(memberWords({ roles: { cop: [] } }, { ring: 'cop', kind: 'person', role: 0 }), null);
  assert.deepEqual(memberWords({ roles: { cop: [{ name: 'A', text: 'a' }] } }, { ring: 'cop', kind: 'newcomer', role: 0 }), { name: 'A', text: 'a' });
});

test('words: a target is named by its member, else its part', () => {
  const w = en();
  assert.equal(targetName(w, { part: 'pln', person: -1 }), 'Personal Learning Network');
  assert.equal(targetName(w, { part: 'pln', person: 30, ring: 'pln', kind: 'book', role: 0 }), w.resources.book[0].name);
  assert.equal(targetName(w, { part: '', person: -1 }), '');
});

test('description: each ring lists the model\'s members, people then resources', () => {
  const f = createFacts(fixtures().manifest);
  const w = en();
  const cop = memberLists(w, f.members, 'cop');
  const pln = memberLists(w, f.members, 'pln');
  const count = (ring, res) => f.members.filter((m) => m.ring === ring && (['person', 'newcomer'].indexOf(m.kind) < 0) === res).length;
  assert.deepEqual(cop.map((l) => l.heading), ['ui.peopleCoP']);
  assert.equal(cop[0].items.length, count('cop', false));
  assert.ok(cop[0].items.some((x) => x === w.roles.newcomer), 'the newcomer is in the ring');
  assert.deepEqual(pln.map((l) => l.heading), ['ui.peoplePLN', 'ui.resourcesPLN']);
  assert.equal(pln[0].items.length, count('pln', false));
  assert.equal(pln[1].items.length, count('pln', true));
  assert.ok(pln[1].items.length >= 3, 'the network has resources');
  assert.deepEqual(memberLists(w, f.members, 'connectivism'), []);
});
