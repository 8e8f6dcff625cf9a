import { test, assert, fixtures } from './runner.js';
import { qrMatrix, qrPath, qrSVG } from '../qr.js';

// The reference symbols are github.com/piglig/go-qr's (Nayuki's algorithm),
// made by the Go test for the inputs of server/internal/e2e/qr_test.go.
const ref = () => fixtures().qr;

const hexRow = (m, y) => {
  let s = '';
  for (let x = 0; x < m.size; x += 4) {
    let d = 0;
    for (let i = 0; i < 4; i++) d = (d << 1) | (m.dark(x + i, y) ? 1 : 0);
    s += d.toString(16);
  }
  return s;
};

test('qr: every module of every reference symbol, and its version, level and mask', () => {
  const cases = ref().cases;
  assert.ok(cases.length > 100, 'only ' + cases.length + ' reference symbols');
  const wrong = [];
  for (const c of cases) {
    const m = qrMatrix(c.text, { ecc: c.ecc, boost: c.boost, mask: c.mask });
    const w = c.want;
    const got = { version: m.version, size: m.size, ecc: m.ecc, mask: m.mask };
    const want = { version: w.version, size: w.size, ecc: w.ecc, mask: w.mask };
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      wrong.push(c.name + ': got ' + JSON.stringify(got) + ', want ' + JSON.stringify(want));
      continue;
    }
    for (let y = 0; y < m.size; y++) {
      const row = hexRow(m, y);
      if (row !== w.rows[y]) {
        let x = 0;
        while (row[x] === w.rows[y][x]) x++;
        wrong.push(c.name + ': row ' + y + ' differs from column ' + x * 4 + ': ' + row + ' want ' + w.rows[y]);
        break;
      }
    }
  }
  assert.ok(wrong.length === 0, wrong.length + ' of ' + cases.length + ' symbols wrong:\n' + wrong.join('\n'));
});

test('qr: the modes, and modules as dark reads them', () => {
  assert.equal(qrMatrix('0123').mode, 'numeric');
  assert.equal(qrMatrix('HTTPS://SITE/JOIN').mode, 'alphanumeric');
  assert.equal(qrMatrix('https://site/?join=ABCDEF').mode, 'byte');
  assert.equal(qrMatrix('Zoë').mode, 'byte');
  assert.equal(qrMatrix('').mode, 'none');
  const m = qrMatrix('https://site/?join=ABCDEF', { ecc: 'L', boost: false });
  assert.equal(m.ecc, 'L');
  assert.equal(m.modules.length, m.size * m.size);
  for (let y = 0; y < m.size; y++) for (let x = 0; x < m.size; x++) assert.equal(m.dark(x, y), m.modules[y * m.size + x] === 1);
  assert.equal(m.dark(-1, 0) || m.dark(0, -1) || m.dark(m.size, 0) || m.dark(0, m.size), false, 'outside the symbol is light');
  const boosted = qrMatrix('https://site/?join=ABCDEF', { ecc: 'L' });
  assert.deepEqual([boosted.version, boosted.ecc], [m.version, 'M'], 'the level is raised while the version holds it');
});

test('qr: a text too long for version 40 is a clear error, at every level and mode', () => {
  const cases = ref().tooLong;
  assert.equal(cases.length, 12);
  for (const c of cases) {
    let err = null;
    try {
      qrMatrix(c.text, { ecc: c.ecc, boost: false });
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof Error, c.name + ': no error');
    assert.ok(/too long/.test(err.message) && err.message.indexOf('level ' + c.ecc) > 0 && err.message.indexOf('at most ' + c.max + ' ') > 0, c.name + ': ' + err.message);
    // One unit shorter fits, at version 40.
    const shorter = [...c.text].slice(0, -1).join('');
    assert.equal(qrMatrix(shorter, { ecc: c.ecc, boost: false }).version, 40, c.name);
  }
});

test('qr: bad arguments are refused with a reason', () => {
  const refused = (f, type, what) => {
    try {
      f();
    } catch (e) {
      assert.ok(e instanceof type && /^qr: /.test(e.message), what + ': ' + e);
      return;
    }
    throw new Error(what + ': not refused');
  };
  refused(() => qrMatrix(42), TypeError, 'a number');
  refused(() => qrMatrix(null), TypeError, 'null');
  refused(() => qrMatrix('x', { ecc: 'X' }), RangeError, 'level X');
  refused(() => qrMatrix('x', { ecc: 'm' }), RangeError, 'level m');
  refused(() => qrMatrix('x', { mask: 8 }), RangeError, 'mask 8');
  refused(() => qrMatrix('x', { mask: 1.5 }), RangeError, 'mask 1.5');
  refused(() => qrSVG('x', { quiet: -1 }), RangeError, 'quiet -1');
});

// Paints a path of M x y h w v1 h-w z rectangles into a grid.
function paint(d, n, off) {
  const grid = new Uint8Array(n * n);
  const re = /M(-?\d+) (-?\d+)h(\d+)v1h-(\d+)z/y;
  let count = 0;
  let r;
  while ((r = re.exec(d))) {
    const [x, y, w, back] = r.slice(1).map(Number);
    assert.equal(w, back, 'a closed rectangle');
    for (let i = 0; i < w; i++) {
      assert.equal(grid[(y + off) * n + x + i + off], 0, 'painted once');
      grid[(y + off) * n + x + i + off] = 1;
    }
    count++;
    if (re.lastIndex === d.length) break;
  }
  assert.equal(re.lastIndex, d.length, 'the whole path parsed');
  return { grid, count };
}

test('qr: the path is the dark modules, one rectangle per horizontal run', () => {
  const m = qrMatrix('https://learning.example.edu/?join=K7P2QX', { ecc: 'H' });
  const { grid, count } = paint(qrPath(m), m.size, 0);
  let runs = 0;
  for (let y = 0; y < m.size; y++) {
    for (let x = 0; x < m.size; x++) {
      assert.equal(grid[y * m.size + x] === 1, m.dark(x, y), 'module ' + x + ',' + y);
      if (m.dark(x, y) && !m.dark(x - 1, y)) runs++;
    }
  }
  assert.equal(count, runs, 'runs merged');
  assert.equal(qrPath({ size: 2, dark: () => false }), '', 'nothing dark, no path');
});

test('qr: the SVG: viewBox with the quiet zone, crisp edges, one path, a name', () => {
  const text = 'https://site/?join=ABCDEF';
  const m = qrMatrix(text);
  const svg = qrSVG(text, { label: 'Join the session: scan this code' });
  assert.ok(svg instanceof SVGSVGElement, 'an SVG element');
  assert.equal(svg.namespaceURI, 'http://www.w3.org/2000/svg');
  const side = m.size + 8;
  assert.equal(svg.getAttribute('viewBox'), '-4 -4 ' + side + ' ' + side);
  assert.equal(svg.getAttribute('shape-rendering'), 'crispEdges');
  assert.equal(svg.getAttribute('role'), 'img');
  assert.equal(svg.getAttribute('aria-label'), 'Join the session: scan this code');
  assert.equal(svg.getAttribute('style'), null, 'no inline style (the CSP)');
  const paths = svg.querySelectorAll('path');
  assert.equal(paths.length, 1);
  assert.equal(paths[0].getAttribute('d'), qrPath(m));
  assert.equal(paths[0].getAttribute('fill'), '#000');
  const rect = svg.querySelector('rect');
  assert.deepEqual(['x', 'y', 'width', 'height', 'fill'].map((a) => rect.getAttribute(a)), ['-4', '-4', String(side), String(side), '#fff']);
  assert.equal(svg.firstChild, rect, 'the light square under the modules');
  // Drawn, the light square covers the quiet zone and the path stays inside the symbol.
  document.body.appendChild(svg);
  svg.setAttribute('width', side * 3);
  const box = paths[0].getBBox();
  assert.ok(box.x >= 0 && box.y >= 0 && box.x + box.width <= m.size && box.y + box.height <= m.size, JSON.stringify(box));
  assert.equal(svg.getBoundingClientRect().height, side * 3, 'square');
  svg.remove();
  // The accessible name is the text when no label is given; colours, size, no quiet zone, no light square.
  const bare = qrSVG('HELLO', { quiet: 0, dark: 'currentColor', light: null, size: 120, ecc: 'L', boost: false });
  const hm = qrMatrix('HELLO', { ecc: 'L', boost: false });
  assert.equal(bare.getAttribute('aria-label'), 'HELLO');
  assert.equal(bare.getAttribute('viewBox'), '0 0 ' + hm.size + ' ' + hm.size);
  assert.equal(bare.querySelector('rect'), null);
  assert.equal(bare.querySelector('path').getAttribute('fill'), 'currentColor');
  assert.equal(bare.getAttribute('width'), '120');
  assert.equal(bare.getAttribute('data-version'), '1');
  assert.equal(bare.getAttribute('data-ecc'), 'L');
});
