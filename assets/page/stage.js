// The stage: where the picture goes on the page. Its rectangle is measured when it
// changes size (and with full screen) into the store; the bridge tells the program,
// and the labels are placed by it until the program reports its own anchors.

import { $ } from './dom.js';
import { watch } from './store.js';

export function createStage({ store, actions, rest, win = window }) {
  const stage = $('stage');
  const measure = () => {
    const r = stage.getBoundingClientRect();
    actions.setStage({ x: r.left, y: r.top, width: r.width, height: r.height });
  };
  if (win.ResizeObserver) new ResizeObserver(measure).observe(stage);
  win.addEventListener('resize', measure);
  watch(store, (st) => st.fullscreen || st.filling, measure);
  // The stage measured while the program loaded went to it as it was: measuring
  // again then would make the browser lay the page out before the first frame. It
  // is measured again at the next frame, once the page is laid out anyway.
  watch(store, (st) => st.connected, (on) => { if (on) rest.frame(measure); });
  return { measure };
}
