// The layer labels over the picture: placed at the anchors the program reports
// (before it does, where the build said they will be, scaled like the
// placeholder, so that nothing moves when the canvas takes over), in the largest
// size that fits, and buttons that select their part.

import { $ } from './dom.js';
import { watch } from './store.js';
import { t } from './words.js';

// The label's font size in the style sheet (.label in app.css): it is scaled
// from it, never set.
const BASE = 15;

export function createLabels({ store, actions, facts, rest }) {
  const app = $('app');
  const labels = [...document.querySelectorAll('.label')];
  const manifest = facts.manifest;

  const designAnchors = (r) => {
    const ext = manifest.extent || 1;
    const scale = Math.min(r.width, r.height) / (2 * ext);
    const cx = r.x + r.width / 2, cy = r.y + r.height / 2;
    return {
      scale,
      list: (manifest.labels || []).map((a) => ({
        part: a.part, x: cx + a.x * scale, y: cy + a.y * scale,
        maxWidth: a.maxWidth * scale, maxHeight: a.maxHeight * scale, shown: true,
      })),
    };
  };

  const layout = () => {
    const st = store.getState();
    if (!st.words) return;
    const src = st.anchors || (st.stage && designAnchors(st.stage));
    if (!src) return;
    // Text scales with the picture, within limits a projector and a phone can read.
    const size = Math.max(11, Math.min(24, src.scale * 0.05));
    const steps = Math.floor(size - 11); // sizes size, size-1, ... down to 11 or just above
    for (const el of labels) {
      const part = el.getAttribute('data-part');
      const a = src.list.find((x) => x.part === part);
      if (!a) continue;
      el.style.left = a.x + 'px';
      el.style.top = a.y + 'px';
      el.setAttribute('data-shown', a.shown ? 'true' : 'false');
      // The full name in the largest size that fits its gap, else the short one,
      // else nothing (the panel still names every part). Smaller text fits better,
      // so the size is found by bisection. The label keeps its style sheet's font
      // size and is scaled (--s): each try lays it out in the gap divided by the
      // scale, which is what the scaled label fills, and no new font is set up.
      const fitsAt = (text, step) => {
        const k = (size - step) / BASE;
        el.textContent = text;
        el.style.setProperty('--s', String(k));
        el.style.maxWidth = (a.maxWidth / k) + 'px';
        // Height may spill a little into the gap's margins; width may not.
        return el.scrollWidth <= (a.maxWidth + 1) / k && el.scrollWidth <= el.clientWidth + 1 &&
          el.offsetHeight <= (a.maxHeight * 1.35 + 2) / k;
      };
      let fits = false;
      const texts = [t(st.words, 'parts.' + part + '.title'), t(st.words, 'parts.' + part + '.short')];
      for (let k = 0; k < texts.length && !fits; k++) {
        if (!fitsAt(texts[k], steps)) continue;
        let lo = 0, hi = steps; // hi fits; find the first step that does
        let last = steps;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          last = mid;
          if (fitsAt(texts[k], mid)) hi = mid; else lo = mid + 1;
        }
        if (last !== hi) fitsAt(texts[k], hi);
        fits = true;
      }
      el.setAttribute('data-fits', fits ? 'true' : 'false');
      // The accessible name contains the visible text (WCAG 2.5.3) and the full name.
      if (el.textContent !== texts[0]) el.setAttribute('aria-label', el.textContent + ' (' + texts[0] + ')');
      else el.removeAttribute('aria-label');
    }
  };

  // Placing labels reads the page's layout, which costs a reflow per measurement;
  // it runs once per frame at most, never inside a call from the program.
  let pending = 0;
  const place = () => {
    if (!pending) {
      pending = rest.frame(() => {
        pending = 0;
        const start = performance.now();
        layout();
        // The time it takes (DevTools and the bench read it): it forces layouts.
        try { performance.measure('diagram-labels', { start, end: performance.now() }); } catch (e) { /* old browsers */ }
      }) || 0;
    }
  };
  watch(store, (s) => s.anchors, place);
  watch(store, (s) => s.words, place);
  watch(store, (s) => (s.anchors ? null : s.stage), place);

  const mark = (sel) => {
    app.classList.toggle('has-selection', !!sel.part);
    for (const el of labels) {
      const p = el.getAttribute('data-part');
      el.setAttribute('aria-pressed', sel.part === p && sel.person < 0 ? 'true' : 'false');
    }
  };
  watch(store, (s) => s.selection, mark, { init: true });

  for (const el of labels) {
    const part = el.getAttribute('data-part');
    el.addEventListener('click', () => {
      const sel = store.getState().selection;
      actions.select(sel.part === part && sel.person < 0 ? '' : part);
    });
    el.addEventListener('focus', () => actions.setFocus(part));
    el.addEventListener('blur', () => actions.setFocus(''));
  }
}
