// The page for the Go test that scans qr.js's drawings (server/internal/e2e,
// TestQRScans): drawQR puts one qrSVG on the page, alone, at a whole number of
// pixels a module, and the Go test decodes a screenshot of it. The page is served
// with the site's Content-Security-Policy; what it refuses is kept in
// window.__violations.

import { qrMatrix, qrSVG } from '../qr.js';

window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__violations.push(e.violatedDirective + ' ' + e.blockedURI);
});

window.drawQR = (text, opts, px) => {
  const m = qrMatrix(text, opts);
  const side = m.size + 2 * (opts.quiet == null ? 4 : opts.quiet);
  const svg = qrSVG(text, Object.assign({ size: side * px }, opts));
  document.body.replaceChildren(svg);
  const r = svg.getBoundingClientRect();
  return { version: m.version, ecc: m.ecc, mask: m.mask, width: r.width, height: r.height };
};
window.__ready = true;
