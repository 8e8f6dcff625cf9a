// Downloads of the current picture: the program's SVG (with the labels and the
// caption as real text), and a PNG rasterised from it by the browser at the
// window's size times the device pixel ratio, or twice that for print.

import { $, el } from './dom.js';
import { t } from './words.js';

export function createExport({ store, actions, bridge, facts }) {
  // The words the SVG carries: the three layer labels, the caption, the title.
  const texts = () => {
    const st = store.getState();
    const w = st.words;
    const labelled = (facts.manifest.labels || []).map((l) => t(w, 'parts.' + l.part + '.title'));
    const out = [labelled[0] || '', labelled[1] || '', labelled[2] || '', '', w ? w.title : ''];
    if (st.presenting && w && w.steps) {
      const s = w.steps[st.step - 1];
      out[3] = s.title + ' — ' + s.caption;
    }
    return out;
  };
  const svg = () => bridge.requestSVG(texts());
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
