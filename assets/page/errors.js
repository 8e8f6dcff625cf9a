// What the page says when the diagram cannot start or stops: state.error, by kind.
// Each message names what failed: the content file, the program (the engine, the
// graphics), the download, or the browser.

import { $ } from './dom.js';
import { t } from './words.js';

// messageOf returns the words for an error: [message, detail].
export function messageOf(words, error) {
  const reason = error.detail;
  switch (error.kind) {
    case 'content':
      return [t(words, 'ui.errorContent') || 'The diagram’s content file has a problem:', reason];
    case 'program':
      return [t(words, 'ui.errorProgram') || 'The diagram’s program stopped:', reason];
    case 'lost':
      return [t(words, 'ui.errorLost') || 'The graphics were reset by the browser. Reload to continue.', ''];
    case 'contentLoad':
      return [t(words, 'ui.errorContentLoad', { reason }) || 'The diagram’s content could not be loaded (' + reason + ').', reason];
    case 'noWasm':
      return [t(words, 'ui.errorNoWasm'), 'WebAssembly is not available in this browser.'];
    case 'noWebGL':
      return [t(words, 'ui.errorNoWebGL'), 'WebGL 2 is not available: canvas.getContext("webgl2") returned null.'];
    default: // 'load': the program could not be downloaded or started
      return [t(words, 'ui.errorLoad', { reason }) || 'The diagram’s program could not be downloaded (' + reason + ').', reason];
  }
}

export function createErrors({ store }) {
  const app = $('app');
  let logged = null;
  const render = (st) => {
    const e = st.error;
    if (!e) return;
    const [message, detail] = messageOf(st.words, e);
    app.setAttribute('data-state', 'error');
    $('error').hidden = false;
    $('error-message').textContent = message;
    const d = $('error-detail');
    d.hidden = !detail;
    d.textContent = detail || '';
    $('error-retry').hidden = !e.retry;
    if (logged !== e) {
      logged = e;
      console.error('diagram: ' + message + (detail ? '\n' + detail : ''));
    }
  };
  store.subscribe((st, prev) => {
    if (st.error !== prev.error || (st.error && st.words !== prev.words)) render(st);
  });
  $('error-retry').addEventListener('click', () => location.reload());
}
