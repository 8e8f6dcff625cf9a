// The engine's canvas. Ebiten appends it to <body>: it is moved into the app's main
// landmark (so that full screen takes canvas, labels and controls together), named, taken out
// of the tab order (the labels and the panel are its keyboard equivalents), and
// titled with what the pointer is over.

import { $ } from './dom.js';
import { watch } from './store.js';
import { t, targetName, studentName } from './words.js';

export function createCanvas({ store, actions, bridge }) {
  const app = $('app');
  let canvas = null;

  const label = () => {
    if (canvas) canvas.setAttribute('aria-label', t(store.getState().words, 'ui.canvasLabel') || 'Animated diagram of connected learning');
  };
  // The hover title: the name of the part or member under the pointer.
  const title = () => {
    if (!canvas) return;
    const st = store.getState();
    const name = targetName(st.words, st.hover, studentName(st));
    if (name) canvas.title = name; else canvas.removeAttribute('title');
  };

  const adopt = (c) => {
    if (canvas) return;
    canvas = c;
    // Inside the main landmark (axe: all content in landmarks), under the stage.
    const main = $('main');
    main.insertBefore(c, main.firstChild);
    c.setAttribute('tabindex', '-1');
    c.setAttribute('role', 'img');
    label();
    title();
    c.addEventListener('pointerleave', () => bridge.send('pointerLeave'));
  };
  new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) if (n.tagName === 'CANVAS') adopt(n);
  }).observe(document.body, { childList: true });

  watch(store, (s) => s.words, () => { label(); title(); });
  watch(store, (s) => s.hover, title);
  watch(store, (s) => s.seats, title);
  watch(store, (s) => s.live.session.roster, title);

  // Ebiten reloads the page when the WebGL context is lost, which can loop. Say
  // what happened instead and let the person reload.
  window.addEventListener('webglcontextlost', (ev) => {
    ev.stopImmediatePropagation();
    ev.preventDefault();
    actions.fail('lost', '', true);
  }, true);
}
