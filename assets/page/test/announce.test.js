import { test, assert, fixtures } from './runner.js';
import { createAnnouncer, createAnnouncements } from '../announce.js';
import { pageStore } from './state.test.js';

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

function announced(search) {
  const p = pageStore(search);
  const region = { textContent: '' };
  const announcer = createAnnouncer(region, 0);
  createAnnouncements({ store: p.store, facts: p.facts, announcer });
  p.actions.setWords('en', fixtures().words.en);
  return Object.assign(p, { region, settle: async () => { await tick(); const x = region.textContent; region.textContent = ''; return x; } });
}

test('announce: what changes together is said once, as one message', async () => {
  const p = announced('?step=4');
  p.actions.select('pln');
  assert.equal(await p.settle(), 'Selected: Personal Learning Network');
  p.actions.goto(1); // drops the selection: the step is said, not the clearing
  const s = await p.settle();
  assert.ok(s.indexOf('Step 1 of 6') === 0 && s.indexOf(fixtures().words.en.ui.announceClear) < 0, s);
  p.actions.select('connectivism');
  p.actions.setPlaying(false); // not news
  p.actions.select('cop');
  assert.equal(await p.settle(), 'Selected: Connectivism Selected: Community of Practice');
  p.actions.select('');
  assert.equal(await p.settle(), fixtures().words.en.ui.announceClear);
});

test('announce: a member is said by name; the first words and no change are not news', async () => {
  const p = announced('');
  assert.equal(await p.settle(), '');
  p.actions.selected({ part: 'pln', person: 30, ring: 'pln', kind: 'podcast', role: 0 });
  assert.equal(await p.settle(), 'Selected: ' + fixtures().words.en.resources.podcast[0].name);
  p.actions.setPlaying(false);
  assert.equal(await p.settle(), '');
  p.actions.setWords('fr', fixtures().words.fr);
  assert.equal(await p.settle(), 'Français');
});
