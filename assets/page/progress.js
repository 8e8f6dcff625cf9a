// The loading bar (the program's true download progress) and the app's state for
// the CSS: loading, ready (the first frame is drawn; the placeholder fades), error.

import { $ } from './dom.js';
import { t } from './words.js';

export function createProgress({ store }) {
  const app = $('app');
  const render = (st) => {
    $('loader-bar').style.width = st.progress + '%';
    $('loader-text').textContent = t(st.words, 'ui.loadingPercent', { percent: st.progress }) || ('Loading the diagram: ' + st.progress + '%');
  };
  store.subscribe((st, prev) => {
    if (st.phase !== prev.phase) app.setAttribute('data-state', st.phase);
    if (st.phase === 'loading' && (st.progress !== prev.progress || (st.progress > 0 && st.words !== prev.words))) render(st);
  });
}
