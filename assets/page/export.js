// Downloads of the current picture: the program's SVG (with the labels, heading
// and caption as real text), and a PNG rasterised from it by the browser at the
// window's size times the device pixel ratio, or twice that for print. The
// program centres the picture in a square of its own, with equal bands above and
// below for the heading and the caption, so that no word covers it.

import { $, el } from './dom.js';
import { t } from './words.js';

// pictureWords are the words a picture of the state carries: the three layer
// labels, and the heading and caption of its bands (the step's while presenting,
// else the diagram's heading and subheading).
export function pictureWords(st, facts) {
  const w = st.words;
  const labels = (facts.manifest.labels || []).map((l) => t(w, 'parts.' + l.part + '.title'));
  let heading = t(w, 'heading');
  let caption = t(w, 'subheading');
  if (st.presenting && w && Array.isArray(w.steps) && w.steps[st.step - 1]) {
    const s = w.steps[st.step - 1];
    heading = t(w, 'ui.announceStep', { step: st.step, total: facts.steps, title: s.title });
    caption = s.caption;
  }
  return { labels: [labels[0] || '', labels[1] || '', labels[2] || ''], heading, caption, title: w ? w.title : '' };
}

// exportTexts is the export command's list: the labels, the caption, the
// accessible title, the heading and the ids' prefix.
export function exportTexts(p, { bands = true, idPrefix = '' } = {}) {
  return [...p.labels, bands ? p.caption : '', p.title, bands ? p.heading : '', idPrefix];
}

export function createExport({ store, actions, bridge, facts }) {
  const svg = () => bridge.requestSVG(exportTexts(pictureWords(store.getState(), facts)));
  const fileName = (ext) => {
    const st = store.getState();
    return 'connected-learning' + (st.presenting ? '-step-' + st.step : '') + '.' + ext;
  };
  const download = (blob, name) => {
    const url = URL.createObjectURL(blob);
    const a = el('a', { href: url, download: name });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  };
  const png = (scale) => {
    actions.setMenu(false);
    svg().then((s) => {
      const img = new Image();
      const url = URL.createObjectURL(new Blob([s], { type: 'image/svg+xml' }));
      img.onload = () => {
        const c = document.createElement('canvas');
        c.width = Math.round(img.naturalWidth * scale);
        c.height = Math.round(img.naturalHeight * scale);
        c.getContext('2d').drawImage(img, 0, 0, c.width, c.height);
        URL.revokeObjectURL(url);
        c.toBlob((b) => { if (b) download(b, fileName('png')); }, 'image/png');
      };
      img.onerror = () => { URL.revokeObjectURL(url); console.error('diagram: the picture could not be turned into a PNG'); };
      img.src = url;
    });
  };
  $('download-svg').addEventListener('click', () => {
    actions.setMenu(false);
    svg().then((s) => download(new Blob([s], { type: 'image/svg+xml' }), fileName('svg')));
  });
  $('download-png').addEventListener('click', () => png(window.devicePixelRatio || 1));
  $('download-png-print').addEventListener('click', () => png(2 * (window.devicePixelRatio || 1)));
  return { svg };
}
