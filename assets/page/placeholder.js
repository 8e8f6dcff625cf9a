// The placeholder: the picture the build rendered from the model (the default
// palette's inline in the page, the projector palette's fetched when chosen),
// shown from the first paint until the program's first frame, and explorable
// meanwhile. Its groups are the model's own hit map (<g data-part data-member>,
// with the very shapes the program hit-tests, see diagram.SVGOptions.Interactive):
// hovering and clicking them go through the same actions as the canvas's events,
// and the picture marks the hover, the selection and keyboard focus with the
// model's halos (<g data-halo>), dims what is not selected as the canvas does, and
// hides the parts the step does not show yet. When the program takes over, the
// bridge hands it the selection and the pointer, so its first frame shows the same.

import { $ } from './dom.js';
import { watch } from './store.js';
import { noTarget, target } from './facts.js';
import * as steps from './steps.js';
import { targetName } from './words.js';

// The canvas's strengths: a hover's halo is softer than a selection's; what is not
// selected is dimmed, and so are the other members of a selected member's ring.
const hoverHalo = '0.7';
const dimPart = '0.42';
const dimMember = '0.6';

const haloKey = (t) => (t.person >= 0 ? 'm' + t.person : t.part);

// What is hovered or selected is drawn in stronger colours, as the canvas does
// (diagram's emph): mixed 22% toward white on the dark palette, 13% toward black on
// the projector's. A colour matrix does exactly that mix, in sRGB as the canvas.
const SVGNS = 'http://www.w3.org/2000/svg';
const emphasisId = (profile) => 'ph-emph-' + profile;
const addEmphasis = (svg, profile) => {
  const light = profile === 'projector';
  const slope = light ? 1 - 0.22 * 0.6 : 0.78;
  const intercept = light ? 0 : 0.22;
  const filter = document.createElementNS(SVGNS, 'filter');
  filter.setAttribute('id', emphasisId(profile));
  filter.setAttribute('color-interpolation-filters', 'sRGB');
  const fct = document.createElementNS(SVGNS, 'feComponentTransfer');
  for (const c of ['R', 'G', 'B']) {
    const f = document.createElementNS(SVGNS, 'feFunc' + c);
    f.setAttribute('type', 'linear');
    f.setAttribute('slope', String(slope));
    f.setAttribute('intercept', String(intercept));
    fct.appendChild(f);
  }
  filter.appendChild(fct);
  const defs = document.createElementNS(SVGNS, 'defs');
  defs.appendChild(filter);
  svg.insertBefore(defs, svg.firstChild);
};

export function createPlaceholder({ store, actions, facts, bridge }) {
  const box = $('placeholder');
  if (!box) return;
  const pictures = new Map(); // profile -> its <svg>
  for (const svg of box.querySelectorAll('svg.ph')) {
    const prof = [...svg.classList].find((c) => c.startsWith('ph-'));
    if (prof) pictures.set(prof.slice(3), svg);
  }

  // What a shape of the picture stands for: its member, or its part.
  const targetOf = (node) => {
    const g = node && node.closest ? node.closest('[data-part]') : null;
    if (!g || !box.contains(g)) return noTarget;
    const part = g.getAttribute('data-part');
    const i = g.hasAttribute('data-member') ? parseInt(g.getAttribute('data-member'), 10) : -1;
    if (!(i >= 0)) return target({ part });
    const m = facts.members[i];
    return target({ part, person: i, ring: m ? m.ring : part, kind: m ? m.kind : 'person', role: m ? m.role : 0 });
  };
  const exploring = () => store.getState().phase === 'loading';

  const wire = (svg, profile) => {
    addEmphasis(svg, profile);
    svg.addEventListener('pointermove', (ev) => {
      if (!exploring()) return;
      bridge.pointer(ev.clientX, ev.clientY);
      actions.hovered(targetOf(ev.target));
    });
    svg.addEventListener('pointerleave', () => {
      bridge.pointer(null);
      if (exploring()) actions.hovered(noTarget);
    });
    // A click selects what is under it, or clears the selection on empty space,
    // as on the canvas.
    svg.addEventListener('click', (ev) => {
      if (exploring()) actions.selected(targetOf(ev.target));
    });
  };

  // The marks of the state on one picture.
  const paint = (svg, profile, st) => {
    const sel = st.selection, hov = st.hover;
    const strong = 'url(#' + emphasisId(profile) + ')';
    const whole = { presenting: st.presenting, step: st.step };
    const joined = !st.presenting || st.step >= 5; // the newcomer stands in the ring from step 5
    for (const g of svg.querySelectorAll('[data-part]')) {
      const part = g.getAttribute('data-part');
      const i = g.hasAttribute('data-member') ? parseInt(g.getAttribute('data-member'), 10) : -1;
      const m = i >= 0 ? facts.members[i] : null;
      const shown = steps.shows(facts, whole, part) && !(m && m.kind === 'newcomer' && !joined);
      g.style.display = shown ? '' : 'none';
      let o = '';
      if (sel.part && sel.part !== part) o = dimPart;
      else if (sel.person >= 0 && i >= 0 && i !== sel.person) o = dimMember;
      g.style.opacity = o;
      // The canvas's hot shapes: the person hovered or selected, every person of a
      // ring hovered or focused as a whole, the brain hovered or focused.
      const hot = i >= 0
        ? hov.person === i || sel.person === i || (hov.part === part && hov.person < 0) || st.focus === part
        : part === 'connectivism' && ((hov.part === part && hov.person < 0) || st.focus === part);
      g.style.filter = hot ? strong : '';
    }
    const on = new Map(); // halo key -> opacity
    if (sel.part) on.set(haloKey(sel), '');
    if (hov.part && !on.has(haloKey(hov))) on.set(haloKey(hov), hoverHalo);
    // Keyboard focus is marked as strongly as a selection, unless its part is
    // marked already (as the canvas does).
    if (st.focus && st.focus !== sel.part && st.focus !== hov.part) on.set(st.focus, '');
    for (const h of svg.querySelectorAll('[data-halo]')) {
      const k = h.getAttribute('data-halo');
      if (on.has(k)) {
        h.setAttribute('display', 'inline');
        h.style.opacity = on.get(k);
      } else {
        h.setAttribute('display', 'none');
      }
    }
    // The pointer shows where a click does something, as over the canvas.
    svg.classList.toggle('ph-hot', !!hov.part);
  };
  const paintAll = () => {
    const st = store.getState();
    if (st.phase !== 'loading') return; // the canvas has taken over
    for (const [profile, svg] of pictures) paint(svg, profile, st);
  };

  for (const [profile, svg] of pictures) wire(svg, profile);
  store.subscribe((st, prev) => {
    if (st.selection !== prev.selection || st.hover !== prev.hover || st.focus !== prev.focus ||
      st.step !== prev.step || st.presenting !== prev.presenting) paintAll();
  });
  paintAll();
  // The name of what is under the pointer, as the canvas's title says it.
  const title = () => {
    const st = store.getState();
    const name = st.phase === 'loading' ? targetName(st.words, st.hover) : '';
    if (name) box.title = name; else box.removeAttribute('title');
  };
  store.subscribe((st, prev) => { if (st.hover !== prev.hover || st.words !== prev.words || st.phase !== prev.phase) title(); });

  // The projector palette's picture is fetched the first time it is wanted.
  let fetching = false;
  const want = (profile) => {
    if (pictures.has(profile) || fetching) return;
    const later = box.querySelector('.ph-later[data-profile="' + profile + '"]');
    const href = later && later.getAttribute('data-href');
    if (!href) return;
    fetching = true;
    fetch(href).then((r) => {
      if (!r.ok) throw new Error(href + ': HTTP ' + r.status);
      return r.text();
    }).then((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      const svg = doc.documentElement;
      if (!svg || svg.nodeName !== 'svg') throw new Error(href + ': not an SVG picture');
      const node = document.importNode(svg, true);
      // Where it came from stays on it: the print handout's fallback picture.
      node.setAttribute('data-profile', profile);
      node.setAttribute('data-href', href);
      later.replaceWith(node);
      pictures.set(profile, node);
      wire(node, profile);
      paintAll();
    }).catch((err) => {
      fetching = false;
      // Only the picture before the program is missing; the program draws it.
      console.warn('diagram: the ' + profile + ' placeholder could not be loaded:', err);
    });
  };
  watch(store, (s) => s.profile, want, { init: true });
}
