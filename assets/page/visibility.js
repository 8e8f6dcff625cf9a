// Scrolled out of view or in a hidden tab, the diagram stops animating and draws
// nothing; it resumes where it was.

import { $ } from './dom.js';
import { watch } from './store.js';

export function createVisibility({ store, actions }) {
  const app = $('app');
  let onScreen = true;
  const update = () => actions.setVisible(onScreen && !document.hidden);
  if (window.IntersectionObserver) {
    new IntersectionObserver((entries) => {
      onScreen = entries[entries.length - 1].isIntersecting;
      update();
    }).observe(app);
  }
  document.addEventListener('visibilitychange', update);
  watch(store, (s) => s.visible, (v) => app.setAttribute('data-visible', v ? 'true' : 'false'), { init: true });
}
