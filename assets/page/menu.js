// The "More" menu: a disclosure that closes on Escape, on a choice, or outside.

import { $ } from './dom.js';
import { watch } from './store.js';

export function createMenu({ store, actions }) {
  const button = $('more');
  const list = $('more-menu');
  watch(store, (s) => s.menu, (open) => {
    button.setAttribute('aria-expanded', open ? 'true' : 'false');
    list.hidden = !open;
    if (open) list.querySelector('button').focus();
  });
  button.addEventListener('click', () => actions.setMenu(!store.getState().menu));
  document.addEventListener('click', (ev) => {
    if (store.getState().menu && !ev.target.closest('.menu')) actions.setMenu(false);
  });
  list.addEventListener('keydown', (ev) => {
    const items = [...list.querySelectorAll('button')];
    const i = items.indexOf(document.activeElement);
    if (ev.key === 'Escape') { actions.setMenu(false); button.focus(); }
    else if (ev.key === 'ArrowDown') items[(i + 1) % items.length].focus();
    else if (ev.key === 'ArrowUp') items[(i - 1 + items.length) % items.length].focus();
    else return;
    ev.preventDefault();
    ev.stopPropagation();
  });
}
