// The toolbar and the caption: present, the steps, pause and play, speed, projector
// colours, full screen, language. Each control calls an action; the view follows
// the store.

import { $, el } from './dom.js';
import { watch } from './store.js';
import { t } from './words.js';

export function createControls({ store, actions, facts }) {
  const app = $('app');
  const total = facts.steps;

  const renderStep = (st) => {
    const w = st.words;
    app.classList.toggle('presenting', st.presenting);
    $('present').setAttribute('aria-pressed', st.presenting ? 'true' : 'false');
    const pl = $('present').querySelector('span');
    if (w && pl) pl.textContent = st.presenting ? t(w, 'ui.stopPresenting') : t(w, 'ui.present');
    $('stepper').hidden = !st.presenting;
    $('caption').hidden = !st.presenting;
    $('step-count').textContent = st.step + ' / ' + total;
    $('prev').disabled = st.step <= 1;
    $('next').disabled = st.step >= total;
    $('caption-prev').disabled = st.step <= 1;
    $('caption-next').disabled = st.step >= total;
    if (w && w.steps) {
      const s = w.steps[st.step - 1] || { title: '', caption: '' };
      $('caption-step').textContent = t(w, 'ui.stepOf', { step: st.step, total });
      $('caption-title').textContent = s.title;
      $('caption-text').textContent = s.caption;
    }
  };

  const renderControls = (st) => {
    const w = st.words;
    // The button's name says what it will do ("Pause" or "Play").
    $('play').setAttribute('data-playing', st.playing ? 'true' : 'false');
    if (w) $('play-label').textContent = st.playing ? t(w, 'ui.pause') : t(w, 'ui.play');
    $('speed').value = String(st.speed);
    $('projector').setAttribute('aria-pressed', st.profile === 'projector' ? 'true' : 'false');
    const fs = st.fullscreen || st.filling;
    $('fullscreen').setAttribute('aria-pressed', fs ? 'true' : 'false');
    if (w) $('fullscreen-label').textContent = fs ? t(w, 'ui.exitFullscreen') : t(w, 'ui.fullscreen');
    for (const tool of document.querySelectorAll('.tool')) {
      // Names stay when narrow screens hide the text.
      const span = tool.querySelector('span:not(.sr)');
      if (span && tool.tagName === 'BUTTON') tool.setAttribute('aria-label', span.textContent);
    }
    $('speed').setAttribute('aria-label', t(w, 'ui.speed') || 'Speed');
  };

  const renderLanguages = (st) => {
    const sel = $('lang');
    const names = facts.manifest.langNames || {};
    if (sel.options.length !== facts.languages.length) {
      sel.textContent = '';
      for (const c of facts.languages) sel.appendChild(el('option', { value: c, lang: c }, names[c]));
    }
    sel.value = st.lang;
  };

  store.subscribe((st, prev) => {
    if (st.step !== prev.step || st.presenting !== prev.presenting || st.words !== prev.words) renderStep(st);
    if (st.playing !== prev.playing || st.speed !== prev.speed || st.profile !== prev.profile || st.fullscreen !== prev.fullscreen ||
      st.filling !== prev.filling || st.words !== prev.words) renderControls(st);
    if (st.lang !== prev.lang) renderLanguages(st);
  });
  renderStep(store.getState());
  renderControls(store.getState());

  // The colours: the projector's light palette on the page's root, for the CSS.
  watch(store, (s) => s.profile, (p) => document.documentElement.classList.toggle('projector', p === 'projector'), { init: true });

  $('present').addEventListener('click', actions.togglePresent);
  $('prev').addEventListener('click', actions.prev);
  $('next').addEventListener('click', actions.next);
  $('caption-prev').addEventListener('click', actions.prev);
  $('caption-next').addEventListener('click', actions.next);
  $('play').addEventListener('click', actions.togglePlaying);
  $('speed').addEventListener('change', () => actions.setSpeed(+$('speed').value));
  $('projector').addEventListener('click', () => {
    const opt = facts.option('colorProfile');
    actions.setProfile(store.getState().profile === 'projector' ? (opt && opt.default) || '' : 'projector');
  });
}
