// Embedded (?embed=1): no page chrome, and no keys taken until the person chooses
// to explore, so that the diagram never steals keys from the course page. The
// invitation ("Click or press Enter to explore") explores and focuses the
// controls; a click or tap on the picture, or focus moving past the invitation,
// explores too.

import { $ } from './dom.js';
import { watch } from './store.js';

export function createExplore({ store, actions }) {
  if (!store.getState().embed) return;
  const app = $('app');
  const invite = $('explore');
  app.classList.add('embed');
  invite.hidden = false;
  let focusControls = false;
  invite.addEventListener('click', () => { focusControls = true; actions.activate(); });
  app.addEventListener('pointerdown', (ev) => { if (!store.getState().active && ev.target !== invite) actions.activate(); }, true);
  // The invitation must not sit over what has focus.
  app.addEventListener('focusin', (ev) => { if (!store.getState().active && ev.target !== invite) actions.activate(); });
  watch(store, (s) => s.active, (on) => {
    if (!on) return;
    invite.hidden = true;
    app.classList.add('active');
    if (focusControls) {
      const first = $('present');
      if (first) first.focus();
    }
  });
}
