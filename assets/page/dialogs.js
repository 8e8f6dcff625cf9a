// The modal dialogs (the list of keys, the embed code): state.dialog names the open
// one. Focus goes in, and comes back to where it was, or to the menu's button when
// the dialog was opened from the menu (whose items are hidden by then).

import { $, remember } from './dom.js';

export function createDialogs({ store, actions }) {
  const dialogs = {
    help: { el: $('help'), focus: () => $('help-close') },
    embed: { el: $('embed'), focus: () => $('embed-step') },
    join: { el: $('join'), focus: () => $('join-code') },
    class: { el: $('class'), focus: () => $('roster').querySelector('button') || $('class-close') },
  };
  let returnTo = null;

  store.subscribe((st, prev) => {
    if (st.dialog === prev.dialog) return;
    const was = dialogs[prev.dialog], now = dialogs[st.dialog];
    if (was && was.el.open) {
      if (typeof was.el.close === 'function') was.el.close(); else was.el.removeAttribute('open');
    }
    if (now) {
      if (!was) returnTo = prev.menu ? $('more') : document.activeElement;
      if (typeof now.el.showModal === 'function') now.el.showModal(); else now.el.setAttribute('open', '');
      now.focus().focus();
    } else if (returnTo) {
      if (returnTo.focus) returnTo.focus();
      returnTo = null;
    }
  });
  for (const name in dialogs) {
    // Escape closes a native dialog by itself.
    dialogs[name].el.addEventListener('close', () => {
      if (store.getState().dialog === name) actions.closeDialog();
    });
  }
  $('open-help').addEventListener('click', () => actions.openDialog('help'));
  $('help-close').addEventListener('click', actions.closeDialog);
  $('embed-close').addEventListener('click', actions.closeDialog);

  // The single-letter shortcuts' switch lives in the list of keys.
  const single = $('single-keys');
  single.checked = store.getState().singleKeys;
  single.addEventListener('change', () => {
    actions.setSingleKeys(single.checked);
    remember('singleKeys', single.checked ? 'on' : 'off');
  });
}
