// Full screen takes the whole app (canvas, labels, caption, controls). Where the
// page is in a frame that does not allow it, the app fills the frame instead and
// says so in a toast: the button never does nothing.

import { $ } from './dom.js';
import { watch } from './store.js';
import { t } from './words.js';

export function createFullscreen({ store, actions }) {
  const doc = document;
  const app = $('app');
  const toastEl = $('toast');
  let toastTimer = 0;
  const isFullscreen = () => !!(doc.fullscreenElement || doc.webkitFullscreenElement);

  const toast = (msg) => {
    toastEl.textContent = msg;
    toastEl.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { toastEl.hidden = true; }, 6000);
  };
  doc.addEventListener('focusin', () => { if (!toastEl.hidden && !store.getState().filling) toastEl.hidden = true; });

  watch(store, (s) => s.filling, (on) => {
    app.classList.toggle('filling', on);
    if (on) toast(t(store.getState().words, 'ui.fullscreenFallback') || 'Full screen is not allowed here, so the diagram fills its frame instead. Press Esc to go back.');
  });
  const changed = () => actions.setFullscreen(isFullscreen());
  doc.addEventListener('fullscreenchange', changed);
  doc.addEventListener('webkitfullscreenchange', changed);

  const toggle = () => {
    if (isFullscreen()) {
      (doc.exitFullscreen || doc.webkitExitFullscreen).call(doc);
      return;
    }
    if (store.getState().filling) { actions.setFilling(false); return; }
    const req = app.requestFullscreen || app.webkitRequestFullscreen;
    const enabled = doc.fullscreenEnabled || doc.webkitFullscreenEnabled;
    if (!req || !enabled) { actions.setFilling(true); return; }
    try {
      const p = req.call(app);
      if (p && p.catch) p.catch(() => actions.setFilling(true));
    } catch (e) {
      actions.setFilling(true);
    }
  };
  $('fullscreen').addEventListener('click', toggle);
  return { toggle };
}
