// The keyboard: presentation keys (and clickers' Page Up / Page Down), the
// single-letter shortcuts (which can be switched off, WCAG 2.1.4), and Escape. Keys
// act only while the diagram has focus: inside this page's app (or the page itself,
// when nothing is focused); form fields and buttons keep their own keys; an
// embedded diagram takes none until it is explored.

import { $ } from './dom.js';

export function createKeys({ store, actions, fullscreen }) {
  const doc = document;
  const app = $('app');

  const onKey = (ev) => {
    if (ev.defaultPrevented || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const target = ev.target;
    if (target !== doc.body && target !== doc.documentElement && !app.contains(target)) return;
    const st = store.getState();
    if (st.dialog) return; // dialogs handle their own keys
    if (!st.active) return;
    const tag = target.tagName;
    const field = tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA' || target.isContentEditable;
    const control = field || tag === 'BUTTON' || tag === 'A' || tag === 'SUMMARY';
    const k = ev.key;
    let handled = true;
    switch (k) {
      case 'ArrowRight':
      case 'PageDown':
        if (field) return;
        actions.next();
        break;
      case 'ArrowLeft':
      case 'PageUp':
        if (field) return;
        actions.prev();
        break;
      case 'Home':
        if (field) return;
        actions.first();
        break;
      case 'End':
        if (field) return;
        actions.last();
        break;
      case 'Escape':
        if (st.filling) actions.setFilling(false);
        else if (st.menu) actions.setMenu(false);
        else handled = false; // the browser leaves full screen by itself
        break;
      default:
        handled = false;
        if (!st.singleKeys || control) break;
        handled = true;
        if (k === ' ' || k === 'Spacebar') actions.next();
        else if (k === 'p' || k === 'P' || k === 'k' || k === 'K') actions.togglePlaying();
        else if (k === 'f' || k === 'F') fullscreen.toggle();
        else if (k === '?' || k === 'h' || k === 'H') actions.openDialog('help');
        else handled = false;
    }
    if (handled) ev.preventDefault();
  };
  doc.addEventListener('keydown', onKey);

  // Keys aimed at the canvas stop here, before the engine's own listener (which
  // would swallow every key, Tab included); the page's shortcuts still see them.
  const guard = (ev) => {
    if (ev.target && ev.target.tagName === 'CANVAS') {
      ev.stopImmediatePropagation();
      if (ev.type === 'keydown') onKey(ev);
    }
  };
  window.addEventListener('keydown', guard, true);
  window.addEventListener('keyup', guard, true);
}
