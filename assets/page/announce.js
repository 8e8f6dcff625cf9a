// Announcements, through the polite live region: step changes, selections, a new
// language. What changes together (a step that also drops the selection) is said
// once, as one message; the region is cleared first, so that the same words said
// twice are still announced.

import { $ } from './dom.js';
import { t, targetName, studentName } from './words.js';

export function createAnnouncer(region, delay = 30) {
  let pending = [];
  return {
    say(text) {
      if (!text) return;
      if (!pending.length) {
        region.textContent = '';
        setTimeout(() => {
          region.textContent = pending.join(' ');
          pending = [];
        }, delay);
      }
      pending.push(text);
    },
    saying: () => pending.length > 0,
  };
}

export function createAnnouncements({ store, facts, announcer = createAnnouncer($('announce')) }) {
  const total = facts.steps;
  store.subscribe((st, prev) => {
    const w = st.words;
    if (!w || !prev.words) return; // the first words are not news
    if (st.lang !== prev.lang) announcer.say((facts.manifest.langNames || {})[st.lang]);
    if (st.step !== prev.step || st.presenting !== prev.presenting) {
      if (!st.presenting) announcer.say(t(w, 'heading'));
      else {
        const s = w.steps[st.step - 1];
        announcer.say(t(w, 'ui.announceStep', { step: st.step, total, title: s.title }) + '. ' + s.caption);
      }
    }
    const a = st.selection, b = prev.selection;
    if (a.part !== b.part || a.person !== b.person) {
      // A step change that hides the selected part says the step, not this.
      if (!a.part) { if (!announcer.saying()) announcer.say(t(w, 'ui.announceClear')); }
      else announcer.say(t(w, 'ui.announceSelect', { title: targetName(w, a, studentName(st)) }));
    }
  });
  return announcer;
}
