// The embed dialog builds the code for a course page: an iframe with a title,
// allow="fullscreen" and loading="lazy", in a wrapper with the diagram's shape at
// any width, with the starting step, colours, language and pausing. Its live
// preview is a second copy of the diagram, so it loads only when asked.

import { $, el } from './dom.js';
import { t } from './words.js';

const escAttr = (s) => String(s).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

// embedCode is the code a course page pastes: src the frame's address, title its
// name, aspectRatio the diagram's shape.
export function embedCode(src, title, aspectRatio) {
  const pad = +(100 / (aspectRatio || 1)).toFixed(3);
  return '<div style="position:relative;width:100%;max-width:1000px;height:0;padding-bottom:' + pad + '%;margin:0 auto">\n' +
    '  <iframe src="' + escAttr(src) + '" title="' + escAttr(title) + '"' +
    ' allow="fullscreen" allowfullscreen loading="lazy"' +
    ' style="position:absolute;top:0;left:0;width:100%;height:100%;border:0"></iframe>\n</div>';
}

export function createEmbed({ store, actions, facts }) {
  const here = () => location.href.split('#')[0].split('?')[0];
  const siteURL = () => facts.manifest.baseURL || here();
  const box = $('embed-preview');
  const load = $('embed-preview-load');
  let previewing = false;
  let timer = 0;

  const query = () => {
    const q = new URLSearchParams();
    q.set('embed', '1');
    const st = $('embed-step').value;
    if (st !== '0') { q.set('present', '1'); q.set('step', st); }
    const profile = facts.option('colorProfile');
    if (profile && $('embed-profile').value !== profile.default) q.set('colorProfile', $('embed-profile').value);
    if ($('embed-lang').value) q.set('lang', $('embed-lang').value);
    if ($('embed-paused').checked) q.set('paused', '1');
    return q.toString();
  };

  const showPreview = () => {
    const src = here() + '?' + query();
    let f = box.querySelector('iframe');
    if (!f) {
      f = el('iframe', { title: t(store.getState().words, 'ui.preview') });
      box.appendChild(f);
    }
    if (f.getAttribute('src') !== src) f.setAttribute('src', src);
  };
  const render = () => {
    $('embed-code').value = embedCode(siteURL() + '?' + query(), t(store.getState().words, 'ui.frameTitle'), facts.aspectRatio);
    if (!previewing) return;
    clearTimeout(timer);
    timer = setTimeout(showPreview, 250);
  };
  const stopPreview = () => {
    previewing = false;
    clearTimeout(timer);
    const f = box.querySelector('iframe');
    if (f) f.remove(); // stop its animation
    load.hidden = false;
  };
  load.addEventListener('click', () => {
    previewing = true;
    load.hidden = true;
    showPreview();
  });

  const fill = () => {
    const w = store.getState().words;
    const st = $('embed-step');
    const keep = st.value || '0';
    st.textContent = '';
    st.appendChild(el('option', { value: '0' }, t(w, 'ui.embedWhole')));
    for (let i = 1; i <= facts.steps; i++) {
      st.appendChild(el('option', { value: String(i) }, t(w, 'ui.embedStepN', { step: i, title: w.steps[i - 1].title })));
    }
    st.value = keep;
    // The colours: each profile under its name ("ui.profileDark" for "dark").
    const pr = $('embed-profile');
    const keepP = pr.value;
    pr.textContent = '';
    for (const v of (facts.option('colorProfile') || { values: [] }).values) {
      pr.appendChild(el('option', { value: v }, t(w, 'ui.profile' + v.charAt(0).toUpperCase() + v.slice(1)) || v));
    }
    if (keepP) pr.value = keepP;
    const lg = $('embed-lang');
    const keepL = lg.value;
    lg.textContent = '';
    lg.appendChild(el('option', { value: '' }, t(w, 'ui.embedLanguageAuto')));
    const names = facts.manifest.langNames || {};
    for (const c of facts.languages) lg.appendChild(el('option', { value: c }, names[c]));
    lg.value = keepL;
  };

  store.subscribe((st, prev) => {
    if (st.dialog === 'embed' && prev.dialog !== 'embed') {
      fill();
      $('embed-profile').value = st.profile;
      $('embed-copy').textContent = t(st.words, 'ui.copy');
      $('copy-status').textContent = '';
      render();
    } else if (st.dialog !== 'embed' && prev.dialog === 'embed') {
      stopPreview();
    } else if (st.dialog === 'embed' && st.words !== prev.words) {
      fill();
      render();
    }
  });
  for (const id of ['embed-step', 'embed-profile', 'embed-lang', 'embed-paused']) $(id).addEventListener('change', render);
  $('open-embed').addEventListener('click', () => actions.openDialog('embed'));

  $('embed-copy').addEventListener('click', () => {
    const code = $('embed-code').value;
    const words = store.getState().words;
    const done = () => { $('copy-status').textContent = t(words, 'ui.copied'); };
    const fallback = () => {
      const ta = $('embed-code');
      ta.focus();
      ta.select();
      let ok = false;
      try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
      if (ok) done(); else $('copy-status').textContent = t(words, 'ui.copyFailed');
    };
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(code).then(done, fallback);
    else fallback();
  });
}
