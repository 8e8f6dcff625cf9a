// QR codes for the page (the live classroom's join address, the handout's address),
// encoded here with no dependency, as ISO/IEC 18004 (QR Code Model 2) specifies and
// as Nayuki's QR Code generator library does it, module for module: the whole text
// is one segment, numeric or alphanumeric when every character fits that mode,
// otherwise its UTF-8 bytes in byte mode; the smallest version (1-40) that holds it at
// the level asked; by default the level raised as far as that version still holds
// the data (free error correction); all eight masks scored with the four penalty
// rules and the lowest taken (the first on a tie); format and version information.
// The tests (test/qr.test.js) compare every module with github.com/piglig/go-qr,
// a Go port of Nayuki's library, and the Go test decodes screenshots of qrSVG.
//
// API:
//   qrMatrix(text, {ecc = 'M', boost = true, mask = -1}) ->
//     {size, version, ecc, mask, mode, modules, dark(x, y)}
//       text     a string (lone surrogates become U+FFFD, as TextEncoder does)
//       ecc      'L', 'M', 'Q' or 'H': the least error correction wanted
//       boost    raise ecc while the version stays the same (Nayuki's default)
//       mask     0-7 forces a mask; -1 picks the best
//     size is the side in modules (4 × version + 17); ecc the level used; mode
//     'numeric', 'alphanumeric' or 'byte' (or 'none' for the empty text); modules
//     a Uint8Array of size × size, row by row, 1 for dark; dark(x, y) reads it and
//     is false outside the symbol (in the quiet zone).
//     Throws an Error that says how much fits when the text is too long for
//     version 40 at that level, a TypeError for a text that is not a string and a
//     RangeError for an unknown level or mask.
//   qrPath(matrix) -> string
//     SVG path data of every dark module, one rectangle per horizontal run, in
//     modules with the symbol's top left at 0,0 (for an SVG or a canvas Path2D).
//   qrSVG(text, {ecc, boost, mask, quiet = 4, dark = '#000', light = '#fff', label, size})
//     -> SVGSVGElement
//     viewBox in modules with the quiet zone (-quiet -quiet size+2quiet ...), a
//     light rect under it (light null for none), one <path> of the dark modules,
//     shape-rendering crispEdges, role="img" and the accessible name label (the
//     text itself when none is given), width and height in CSS pixels when size is
//     given, and data-version and data-ecc saying what it holds. Colours are
//     attributes: nothing here needs an inline style (the page's
//     Content-Security-Policy has style-src 'self').

const SVG_NS = 'http://www.w3.org/2000/svg';

const LEVELS = ['L', 'M', 'Q', 'H'];
const FORMAT_BITS = [1, 0, 3, 2]; // by level L, M, Q, H

// Error correction codewords per block and number of blocks, by level, then version
// (index 0 unused).
const ECC_PER_BLOCK = [
  [-1, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
  [-1, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28],
  [-1, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
  [-1, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
];
const NUM_BLOCKS = [
  [-1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25],
  [-1, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49],
  [-1, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68],
  [-1, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81],
];

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

// The modes: indicator, character count bits for versions 1-9, 10-26, 27-40.
const MODES = {
  numeric: { bits: 0x1, count: [10, 12, 14] },
  alphanumeric: { bits: 0x2, count: [9, 11, 13] },
  byte: { bits: 0x4, count: [8, 16, 16] },
};
const countBits = (mode, ver) => MODES[mode].count[ver < 10 ? 0 : ver < 27 ? 1 : 2];

// Data modules of a version: the symbol less its function patterns.
function rawDataModules(ver) {
  let n = (16 * ver + 128) * ver + 64;
  if (ver >= 2) {
    const align = Math.floor(ver / 7) + 2;
    n -= (25 * align - 10) * align - 55;
    if (ver >= 7) n -= 36;
  }
  return n;
}

const dataCodewords = (ver, lvl) => Math.floor(rawDataModules(ver) / 8) - ECC_PER_BLOCK[lvl][ver] * NUM_BLOCKS[lvl][ver];

// The segment: its mode, character count and data bits.
function segment(text) {
  if (text === '') return { mode: 'none', chars: 0, bits: [] };
  const bits = [];
  const put = (v, n) => { for (let i = n - 1; i >= 0; i--) bits.push((v >>> i) & 1); };
  if (/^[0-9]+$/.test(text)) {
    for (let i = 0; i < text.length; i += 3) {
      const d = text.slice(i, i + 3);
      put(parseInt(d, 10), d.length * 3 + 1);
    }
    return { mode: 'numeric', chars: text.length, bits };
  }
  if ([...text].every((c) => ALNUM.indexOf(c) >= 0)) {
    let i = 0;
    for (; i + 1 < text.length; i += 2) put(ALNUM.indexOf(text[i]) * 45 + ALNUM.indexOf(text[i + 1]), 11);
    if (i < text.length) put(ALNUM.indexOf(text[i]), 6);
    return { mode: 'alphanumeric', chars: text.length, bits };
  }
  const bytes = new TextEncoder().encode(text);
  for (const b of bytes) put(b, 8);
  return { mode: 'byte', chars: bytes.length, bits };
}

// How many characters of a mode fit in version 40 at a level.
function capacity(mode, lvl) {
  const free = dataCodewords(40, lvl) * 8 - 4 - countBits(mode, 40);
  if (mode === 'byte') return Math.floor(free / 8);
  if (mode === 'alphanumeric') return Math.floor(free / 11) * 2 + (free % 11 >= 6 ? 1 : 0);
  const r = free % 10;
  return Math.floor(free / 10) * 3 + (r >= 7 ? 2 : r >= 4 ? 1 : 0);
}

// Reed-Solomon over GF(2^8) with the polynomial x^8 + x^4 + x^3 + x^2 + 1.
function gfMul(x, y) {
  let z = 0;
  for (let i = 7; i >= 0; i--) {
    z = (z << 1) ^ ((z >>> 7) * 0x11d);
    z ^= ((y >>> i) & 1) * x;
  }
  return z;
}

function rsDivisor(degree) {
  const d = new Uint8Array(degree);
  d[degree - 1] = 1;
  let root = 1;
  for (let i = 0; i < degree; i++) {
    for (let j = 0; j < degree; j++) {
      d[j] = gfMul(d[j], root);
      if (j + 1 < degree) d[j] ^= d[j + 1];
    }
    root = gfMul(root, 0x02);
  }
  return d;
}

function rsRemainder(data, divisor) {
  const r = new Uint8Array(divisor.length);
  for (const b of data) {
    const f = b ^ r[0];
    r.copyWithin(0, 1);
    r[r.length - 1] = 0;
    for (let i = 0; i < r.length; i++) r[i] ^= gfMul(divisor[i], f);
  }
  return r;
}

// The data codewords split into blocks, each with its error correction, interleaved.
function interleave(data, ver, lvl) {
  const blocks = NUM_BLOCKS[lvl][ver];
  const eccLen = ECC_PER_BLOCK[lvl][ver];
  const raw = Math.floor(rawDataModules(ver) / 8);
  const short = blocks - (raw % blocks);
  const shortLen = Math.floor(raw / blocks);
  const div = rsDivisor(eccLen);
  const all = [];
  for (let i = 0, k = 0; i < blocks; i++) {
    const n = shortLen - eccLen + (i < short ? 0 : 1);
    const dat = data.slice(k, k + n);
    k += n;
    const block = new Uint8Array(shortLen + 1);
    block.set(dat);
    block.set(rsRemainder(dat, div), shortLen + 1 - eccLen);
    all.push(block);
  }
  const out = new Uint8Array(raw);
  for (let i = 0, k = 0; i <= shortLen; i++) {
    for (let j = 0; j < blocks; j++) {
      // Short blocks have no codeword at the last data position.
      if (i !== shortLen - eccLen || j >= short) out[k++] = all[j][i];
    }
  }
  return out;
}

function alignmentPositions(ver) {
  if (ver === 1) return [];
  const n = Math.floor(ver / 7) + 2;
  const step = ver === 32 ? 26 : Math.floor((ver * 4 + n * 2 + 1) / (n * 2 - 2)) * 2;
  const pos = [6];
  for (let i = n - 1, p = ver * 4 + 17 - 7; i >= 1; i--, p -= step) pos[i] = p;
  return pos;
}

const MASKS = [
  (x, y) => (x + y) % 2 === 0,
  (x, y) => y % 2 === 0,
  (x) => x % 3 === 0,
  (x, y) => (x + y) % 3 === 0,
  (x, y) => (Math.floor(x / 3) + Math.floor(y / 2)) % 2 === 0,
  (x, y) => ((x * y) % 2) + ((x * y) % 3) === 0,
  (x, y) => (((x * y) % 2) + ((x * y) % 3)) % 2 === 0,
  (x, y) => (((x + y) % 2) + ((x * y) % 3)) % 2 === 0,
];

// The symbol being built: modules and which of them are function patterns.
function symbol(ver, lvl) {
  const size = ver * 4 + 17;
  const mod = new Uint8Array(size * size);
  const fn = new Uint8Array(size * size);
  const set = (x, y, dark) => { mod[y * size + x] = dark ? 1 : 0; fn[y * size + x] = 1; };

  const formatBits = (mask) => {
    const data = (FORMAT_BITS[lvl] << 3) | mask;
    let rem = data;
    for (let i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
    const bits = ((data << 10) | rem) ^ 0x5412;
    const bit = (i) => (bits >>> i) & 1;
    for (let i = 0; i <= 5; i++) set(8, i, bit(i));
    set(8, 7, bit(6));
    set(8, 8, bit(7));
    set(7, 8, bit(8));
    for (let i = 9; i < 15; i++) set(14 - i, 8, bit(i));
    for (let i = 0; i < 8; i++) set(size - 1 - i, 8, bit(i));
    for (let i = 8; i < 15; i++) set(8, size - 15 + i, bit(i));
    set(8, size - 8, 1); // the dark module
  };

  for (let i = 0; i < size; i++) {
    set(6, i, i % 2 === 0);
    set(i, 6, i % 2 === 0);
  }
  for (const [cx, cy] of [[3, 3], [size - 4, 3], [3, size - 4]]) {
    for (let dy = -4; dy <= 4; dy++) {
      for (let dx = -4; dx <= 4; dx++) {
        const x = cx + dx, y = cy + dy;
        const d = Math.max(Math.abs(dx), Math.abs(dy));
        if (x >= 0 && x < size && y >= 0 && y < size) set(x, y, d !== 2 && d !== 4);
      }
    }
  }
  const al = alignmentPositions(ver);
  const last = al.length - 1;
  for (let i = 0; i <= last; i++) {
    for (let j = 0; j <= last; j++) {
      if ((i === 0 && j === 0) || (i === 0 && j === last) || (i === last && j === 0)) continue;
      for (let dy = -2; dy <= 2; dy++) {
        for (let dx = -2; dx <= 2; dx++) set(al[i] + dx, al[j] + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
      }
    }
  }
  formatBits(0); // reserves the format areas
  if (ver >= 7) {
    let rem = ver;
    for (let i = 0; i < 12; i++) rem = (rem << 1) ^ ((rem >>> 11) * 0x1f25);
    const bits = (ver << 12) | rem;
    for (let i = 0; i < 18; i++) {
      const b = (bits >>> i) & 1;
      const a = size - 11 + (i % 3), c = Math.floor(i / 3);
      set(a, c, b);
      set(c, a, b);
    }
  }
  return { size, mod, fn, formatBits };
}

// The codewords in the zig-zag of two-module columns, right to left, skipping the
// vertical timing column.
function place(s, codewords) {
  const { size, mod, fn } = s;
  let i = 0;
  const n = codewords.length * 8;
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    const upward = ((right + 1) & 2) === 0;
    for (let v = 0; v < size; v++) {
      const y = upward ? size - 1 - v : v;
      for (let j = 0; j < 2; j++) {
        const x = right - j;
        if (!fn[y * size + x] && i < n) {
          mod[y * size + x] = (codewords[i >>> 3] >>> (7 - (i & 7))) & 1;
          i++;
        }
      }
    }
  }
}

function applyMask(s, mask) {
  const { size, mod, fn } = s;
  const m = MASKS[mask];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (!fn[y * size + x] && m(x, y)) mod[y * size + x] ^= 1;
    }
  }
}

// The penalty of a masked symbol: runs of five or more (N1 = 3, plus one for each
// further module), 2×2 blocks (N2 = 3), finder-like 1:1:3:1:1 patterns with four
// light modules on a side, the quiet zone counting as light (N3 = 40), and the
// dark share's distance from 50% in steps of 5% (N4 = 10).
function penalty(size, mod) {
  let score = 0;
  const history = new Int32Array(7); // the last seven runs' lengths, newest first
  const addHistory = (run) => {
    if (history[0] === 0) run += size; // the light quiet zone before the line
    for (let i = 6; i > 0; i--) history[i] = history[i - 1];
    history[0] = run;
  };
  const finders = () => {
    const n = history[1];
    const core = n > 0 && history[2] === n && history[3] === n * 3 && history[4] === n && history[5] === n;
    return (core && history[0] >= n * 4 && history[6] >= n ? 1 : 0) + (core && history[6] >= n * 4 && history[0] >= n ? 1 : 0);
  };
  // A row (step 1) or a column (step size) from start.
  const line = (start, step) => {
    let color = 0, run = 0;
    history.fill(0);
    for (let i = 0, at = start; i < size; i++, at += step) {
      const c = mod[at];
      if (c === color) {
        run++;
        if (run === 5) score += 3;
        else if (run > 5) score++;
      } else {
        addHistory(run);
        if (!color) score += finders() * 40;
        color = c;
        run = 1;
      }
    }
    if (color) {
      addHistory(run);
      run = 0;
    }
    addHistory(run + size); // the light quiet zone after the line
    score += finders() * 40;
  };
  for (let y = 0; y < size; y++) line(y * size, 1);
  for (let x = 0; x < size; x++) line(x, size);
  for (let y = 0; y + 1 < size; y++) {
    for (let x = 0; x + 1 < size; x++) {
      const c = mod[y * size + x];
      if (c === mod[y * size + x + 1] && c === mod[(y + 1) * size + x] && c === mod[(y + 1) * size + x + 1]) score += 3;
    }
  }
  let dark = 0;
  for (const c of mod) dark += c;
  const total = size * size;
  const k = Math.ceil(Math.abs(dark * 20 - total * 10) / total) - 1;
  return score + k * 10;
}

export function qrMatrix(text, { ecc = 'M', boost = true, mask = -1 } = {}) {
  if (typeof text !== 'string') throw new TypeError('qr: the text must be a string, not ' + typeof text);
  let lvl = LEVELS.indexOf(ecc);
  if (lvl < 0) throw new RangeError('qr: the error correction level must be L, M, Q or H, not ' + String(ecc));
  if (!(Number.isInteger(mask) && mask >= -1 && mask <= 7)) throw new RangeError('qr: the mask must be 0 to 7, or -1 for the best, not ' + String(mask));

  const seg = segment(text);
  const used = (ver) => (seg.mode === 'none' ? 0 : 4 + countBits(seg.mode, ver) + seg.bits.length);
  let ver = 1;
  while (used(ver) > dataCodewords(ver, lvl) * 8) {
    if (ver === 40) {
      const unit = seg.mode === 'byte' ? ' bytes' : ' characters';
      throw new Error('qr: the text is too long for a QR code at level ' + ecc + ': ' + seg.chars + unit +
        ' in ' + seg.mode + ' mode, at most ' + capacity(seg.mode, lvl) + unit);
    }
    ver++;
  }
  const bitsUsed = used(ver);
  if (boost) {
    while (lvl < 3 && bitsUsed <= dataCodewords(ver, lvl + 1) * 8) lvl++;
  }

  // Mode, count, data, a terminator of up to four zeros, zeros to a byte, pad bytes.
  const cap = dataCodewords(ver, lvl) * 8;
  const bits = [];
  const put = (v, n) => { for (let i = n - 1; i >= 0; i--) bits.push((v >>> i) & 1); };
  if (seg.mode !== 'none') {
    put(MODES[seg.mode].bits, 4);
    put(seg.chars, countBits(seg.mode, ver));
    for (const b of seg.bits) bits.push(b);
  }
  put(0, Math.min(4, cap - bits.length));
  put(0, (8 - (bits.length % 8)) % 8);
  for (let pad = 0xec; bits.length < cap; pad ^= 0xec ^ 0x11) put(pad, 8);
  const data = new Uint8Array(cap / 8);
  for (let i = 0; i < bits.length; i++) data[i >>> 3] |= bits[i] << (7 - (i & 7));

  const s = symbol(ver, lvl);
  place(s, interleave(data, ver, lvl));
  if (mask < 0) {
    let best = Infinity;
    for (let m = 0; m < 8; m++) {
      applyMask(s, m);
      s.formatBits(m);
      const p = penalty(s.size, s.mod);
      if (p < best) {
        best = p;
        mask = m;
      }
      applyMask(s, m); // undoes it (a mask is an exclusive or)
    }
  }
  applyMask(s, mask);
  s.formatBits(mask);

  const { size, mod } = s;
  return {
    size,
    version: ver,
    ecc: LEVELS[lvl],
    mask,
    mode: seg.mode,
    modules: mod,
    dark: (x, y) => x >= 0 && y >= 0 && x < size && y < size && mod[y * size + x] === 1,
  };
}

export function qrPath(matrix) {
  const { size } = matrix;
  let d = '';
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size;) {
      if (!matrix.dark(x, y)) {
        x++;
        continue;
      }
      const x0 = x;
      while (x < size && matrix.dark(x, y)) x++;
      d += 'M' + x0 + ' ' + y + 'h' + (x - x0) + 'v1h-' + (x - x0) + 'z';
    }
  }
  return d;
}

export function qrSVG(text, { ecc, boost, mask, quiet = 4, dark = '#000', light = '#fff', label, size } = {}) {
  if (!(Number.isInteger(quiet) && quiet >= 0)) throw new RangeError('qr: the quiet zone must be a whole number of modules, not ' + String(quiet));
  const m = qrMatrix(text, { ecc, boost, mask });
  const side = m.size + 2 * quiet;
  const svg = document.createElementNS(SVG_NS, 'svg');
  const attrs = (node, a) => { for (const k in a) node.setAttribute(k, String(a[k])); return node; };
  attrs(svg, {
    viewBox: -quiet + ' ' + -quiet + ' ' + side + ' ' + side,
    'shape-rendering': 'crispEdges',
    role: 'img',
    'aria-label': label == null ? text : label,
    'data-version': m.version,
    'data-ecc': m.ecc,
  });
  if (size != null) attrs(svg, { width: size, height: size });
  if (light != null && light !== 'none') {
    svg.appendChild(attrs(document.createElementNS(SVG_NS, 'rect'), { x: -quiet, y: -quiet, width: side, height: side, fill: light }));
  }
  svg.appendChild(attrs(document.createElementNS(SVG_NS, 'path'), { d: qrPath(m), fill: dark }));
  return svg;
}
