// The print handout. A WebGL canvas prints blank, so paper gets a container of its
// own (#print; the print stylesheet shows it and nothing else): the picture of the
// state (step, selection, language) as the program's SVG in the light palette,
// with its labels as text, under the title and the summary; the step's caption
// while presenting, the public address and its QR code; then the handout text in
// the page's language (each part's definition, key points, quotation and
// sources; the full references).
//
// The picture is kept up to date without costing the live page anything per
// frame: a change of what it shows marks it stale, and it is asked of the program
// once, a while after the last change and when the browser is idle. The browser's
// own print (Ctrl+P, the browser's menu, Page.printToPDF, which fires
// beforeprint in Chromium) takes what is there; beforeprint brings the text up
// to date, which needs nothing of the program. More -> Print handout, and Ctrl+P
// while the picture is stale, ask for it at once and print when it is there.

import { $, el, whenIdle } from './dom.js';
import { t } from './words.js';
import { watch } from './store.js';
import { partSources } from './panel.js';
import { pictureWords, exportTexts } from './export.js';

// How long after the last change the picture is asked for: long enough to let a
// run of clicks through the steps go by, short enough to be there before anyone
// reaches for the print dialog.
const settleMs = 600;
// How long Print handout waits for the program before printing what it has.
const patienceMs = 5000;

// publicAddress is the diagram's public address: the manifest's (BASE_URL at
// build time or the server's -base-url), else the one the oEmbed discovery link
// names, else the page's own address without its query and fragment (an
// embedded page's too: the frame's address is the diagram's).
export function publicAddress(doc, loc, manifest) {
  const ok = (u) => typeof u === 'string' && /^https?:\/\/[^/]/.test(u);
  if (manifest && ok(manifest.baseURL)) return manifest.baseURL;
  const link = doc.querySelector('link[rel="alternate"][type="application/json+oembed"]');
  if (link) {
    try {
      const u = new URL(link.getAttribute('href'), loc.href).searchParams.get('url');
      if (ok(u)) return u;
    } catch (e) { /* a malformed link: the page's own address */ }
  }
  const here = String(loc.href).split('#')[0].split('?')[0];
  return ok(here) ? here : '';
}

// reference is a source's full reference as a list item: author (year). Title.
// Publisher. Address, each as far as the content file gives it.
export function reference(s) {
  const li = el('li');
  li.appendChild(document.createTextNode(s.author + ' (' + s.year + '). '));
  li.appendChild(el('cite', null, s.title));
  li.appendChild(document.createTextNode('.' + (s.publisher ? ' ' + s.publisher + '.' : '')));
  if (s.url) {
    li.appendChild(document.createTextNode(' '));
    li.appendChild(el('span', { class: 'print-url' }, s.url));
  }
  return li;
}

// The key of what the picture shows: a change of it makes the picture stale.
const pictureKey = (st) => [st.lang, st.presenting ? st.step : 0, st.selection.part, st.selection.person].join('|');

export function createPrint({ store, actions, bridge, facts, qr = null, win = window }) {
  const doc = win.document;
  const box = $('print');
  const picture = el('div', { class: 'print-picture' });
  const head = el('header', { class: 'print-head' });
  const caption = el('figcaption', { class: 'print-caption' });
  const address = el('footer', { class: 'print-address' });
  const text = el('div', { class: 'print-text' });
  const figure = el('figure', { class: 'print-figure' });
  figure.append(picture, caption);
  const sheet = el('div', { class: 'print-sheet' });
  sheet.append(head, figure, address);
  box.replaceChildren(sheet, text);

  let built = ''; // the key of the picture in the container ('' for none)
  let timer = 0;
  let idle = null; // cancels the idle callback that builds the picture
  let pending = null; // the program's answer on its way
  let builds = 0;

  const mark = () => {
    const fresh = built !== '' && built === pictureKey(store.getState());
    box.dataset.fresh = fresh ? 'true' : 'false';
    box.dataset.picture = built; // what it shows: language|step (0: the whole)|part|member
    box.dataset.builds = String(builds);
    return fresh;
  };

  // Until the program draws, the paper gets the build's picture in the light
  // palette (the whole diagram, as the page opened). It is fetched only when it
  // may be printed (the program failed, or a print is asked for before the
  // program's picture is there), not by every visitor: the program's own picture
  // replaces it within a second of the first frame. A print from the browser's
  // own menu cannot wait for it: until it is there, the paper gets the page's
  // own picture (the placeholder, dark), which needs nothing fetched.
  let light = null; // the build's light picture, as an <img>
  const fallback = (fetch) => {
    if (built) return null;
    if (!light) {
      // placeholder.js keeps its address.
      const ph = doc.querySelector('#placeholder [data-profile="projector"][data-href]');
      if (!ph) return null;
      light = el('img', { alt: '', class: 'print-svg', 'data-src': ph.getAttribute('data-href') });
      light.addEventListener('load', () => { if (!built && picture.firstChild !== light) picture.replaceChildren(light); });
    }
    if (fetch && !light.getAttribute('src')) light.setAttribute('src', light.getAttribute('data-src'));
    if (!picture.firstChild || (light.complete && light.naturalWidth > 0 && picture.firstChild !== light)) picture.replaceChildren(light);
    return light;
  };
  // lightReady resolves once the light picture is there (or cannot be).
  const lightReady = () => {
    const img = fallback(true);
    if (!img || (img.complete && img.naturalWidth > 0)) return Promise.resolve();
    return new Promise((resolve) => {
      img.addEventListener('load', resolve, { once: true });
      img.addEventListener('error', resolve, { once: true });
    });
  };
  // standIn puts the page's own picture on the paper while the light one is not
  // there yet (a print that cannot wait).
  const standIn = () => {
    const img = fallback(true);
    if (!img || (img.complete && img.naturalWidth > 0)) return;
    const svg = doc.querySelector('#placeholder svg.ph-dark');
    if (!svg) return;
    const copy = svg.cloneNode(true);
    copy.setAttribute('class', 'print-svg');
    picture.replaceChildren(copy);
  };

  const place = (svgText, key) => {
    const parsed = new DOMParser().parseFromString(svgText, 'image/svg+xml');
    const svg = parsed.documentElement;
    if (!svg || svg.localName !== 'svg' || parsed.getElementsByTagName('parsererror').length) {
      console.error('diagram: the program\'s picture for print is not an SVG');
      return;
    }
    // The paper sizes it: the viewBox keeps its shape.
    svg.removeAttribute('width');
    svg.removeAttribute('height');
    svg.setAttribute('class', 'print-svg');
    picture.replaceChildren(doc.importNode(svg, true));
    built = key;
  };

  // build asks the program for the picture of the state now, once at a time; it
  // resolves with whether the container then shows the state.
  const build = () => {
    if (pending) return pending;
    const st = store.getState();
    const key = pictureKey(st);
    if (key === built) return Promise.resolve(mark());
    if (!bridge.running() || st.phase !== 'ready' || !st.words) return Promise.resolve(mark());
    const start = win.performance ? performance.now() : 0;
    const texts = exportTexts(pictureWords(st, facts), { bands: false, idPrefix: 'print-' });
    pending = bridge.requestSVG(texts, 'projector').then((svg) => {
      pending = null;
      builds++;
      place(svg, key);
      if (win.performance && performance.measure) {
        try { performance.measure('diagram-print-picture', { start, end: performance.now() }); } catch (e) { /* old browsers */ }
      }
      if (!mark()) schedule(); // the state moved on meanwhile
      return built === pictureKey(store.getState());
    });
    return pending;
  };

  const cancel = () => {
    clearTimeout(timer);
    timer = 0;
    if (idle) idle();
    idle = null;
  };
  const schedule = () => {
    cancel();
    timer = setTimeout(() => {
      timer = 0;
      idle = whenIdle(() => { idle = null; build(); }, 2000, win);
    }, settleMs);
  };

  const renderHead = (st) => {
    const w = st.words;
    head.replaceChildren(el('h1', null, t(w, 'heading')), el('p', { class: 'print-sub' }, t(w, 'subheading')),
      el('p', { class: 'print-summary' }, t(w, 'summary')));
    caption.replaceChildren();
    if (st.presenting) {
      const p = pictureWords(st, facts);
      caption.append(el('strong', null, p.heading), document.createTextNode(' ' + p.caption));
    }
    caption.hidden = !st.presenting;
  };

  const renderAddress = (st) => {
    const w = st.words;
    const url = publicAddress(doc, win.location, facts.manifest);
    address.replaceChildren();
    address.hidden = !url;
    if (!url) return;
    if (qr) {
      try {
        const code = qr(url, { ecc: 'M', quiet: 4, label: t(w, 'ui.printQR') });
        code.setAttribute('class', 'print-qr');
        address.appendChild(code);
      } catch (e) {
        console.warn('diagram: no QR code for the address:', e);
      }
    }
    const p = el('p', null, t(w, 'ui.printLive') + ' ');
    p.appendChild(el('span', { class: 'print-url' }, url));
    address.appendChild(p);
  };

  const renderText = (st) => {
    const w = st.words;
    const frag = doc.createDocumentFragment();
    const cited = [];
    for (const part of facts.parts) {
      const pw = w.parts && w.parts[part];
      if (!pw) continue;
      const sec = el('section', { class: 'print-part', 'data-part': part });
      sec.appendChild(el('h2', null, pw.title));
      sec.appendChild(el('p', { class: 'print-definition' }, pw.definition));
      sec.appendChild(el('h3', null, t(w, 'ui.keyPoints')));
      const ul = el('ul');
      for (const x of pw.points || []) ul.appendChild(el('li', null, x));
      sec.appendChild(ul);
      if (pw.quote) {
        const q = el('blockquote');
        q.appendChild(el('p', null, pw.quote));
        if (pw.quoteBy) q.appendChild(el('footer', null, '— ' + pw.quoteBy));
        sec.appendChild(q);
      }
      const sources = partSources(st.content, part);
      if (sources.length) {
        sec.appendChild(el('p', { class: 'print-cites' }, t(w, 'ui.cites', { list: sources.map((s) => s.author + ' (' + s.year + ')').join('; ') })));
        for (const s of sources) if (!cited.includes(s)) cited.push(s);
      }
      frag.appendChild(sec);
    }
    if (cited.length) {
      const refs = el('section', { class: 'print-references' });
      refs.appendChild(el('h2', null, t(w, 'ui.references')));
      const list = el('ul');
      for (const s of cited) list.appendChild(reference(s));
      refs.appendChild(list);
      frag.appendChild(refs);
    }
    text.replaceChildren(frag);
  };

  const render = () => {
    const st = store.getState();
    if (!st.words) return;
    renderHead(st);
    renderAddress(st);
    if (st.content) renderText(st);
  };

  // The handout's text (and its QR code, 50-110 ms to encode on a slow machine) is
  // made when the page is idle, not while it starts: the browser's print makes it
  // at once anyway (before, below).
  let textLater = false;
  const renderLater = () => {
    if (textLater) return;
    textLater = true;
    whenIdle(() => { textLater = false; render(); }, 3000, win);
  };
  store.subscribe((st, prev) => {
    if (st.words !== prev.words || st.content !== prev.content) renderLater();
    else if (st.step !== prev.step || st.presenting !== prev.presenting) renderHead(st);
    if (pictureKey(st) !== pictureKey(prev) || (st.phase === 'ready' && prev.phase !== 'ready')) {
      mark();
      schedule();
    }
  });
  watch(store, (s) => s.phase, (phase) => { if (phase !== 'ready') fallback(phase === 'error'); }, { init: true });
  mark();

  // The browser's print: the text is made from the state at once; the picture is
  // what the program last gave (a stale one only within a moment of a change).
  let printing = false;
  const before = () => {
    if (printing) return;
    printing = true;
    box.dataset.printed = String((+box.dataset.printed || 0) + 1);
    render();
    if (!built) standIn();
  };
  const after = () => { printing = false; };
  win.addEventListener('beforeprint', before);
  win.addEventListener('afterprint', after);
  const mq = win.matchMedia ? win.matchMedia('print') : null;
  if (mq && mq.addEventListener) mq.addEventListener('change', (e) => (e.matches ? before() : after()));

  // printHandout prints once the picture shows the state (or the program has not
  // answered within patienceMs, or cannot).
  const printHandout = () => {
    actions.setMenu(false);
    cancel();
    let waited = 0;
    let done = false;
    const go = () => {
      if (done) return;
      done = true;
      clearTimeout(waited);
      render();
      win.print();
    };
    if (mark()) { go(); return; }
    // Without the program's picture, the light one is on the paper first.
    const fallbackThenGo = () => { if (built) go(); else lightReady().then(go); };
    // An answer for a state that has moved on meanwhile is followed by another
    // request; one that could not be asked for (the program not drawing yet)
    // prints what there is.
    const attempt = () => {
      const before = builds;
      build().then((ok) => {
        if (ok || done) go();
        else if (builds === before) fallbackThenGo();
        else { cancel(); attempt(); }
      });
    };
    waited = setTimeout(go, patienceMs);
    attempt();
  };
  $('print-handout').addEventListener('click', printHandout);
  // Ctrl+P (Cmd+P) while the picture is stale: the same, so the paper shows the
  // state; otherwise the browser's print goes ahead by itself.
  doc.addEventListener('keydown', (ev) => {
    if (!(ev.ctrlKey || ev.metaKey) || ev.altKey || ev.shiftKey || (ev.key !== 'p' && ev.key !== 'P')) return;
    if (mark()) return;
    if (!bridge.running() && (built || !fallback(false) || (light.complete && light.naturalWidth > 0))) return;
    ev.preventDefault();
    printHandout();
  });

  return { build, printHandout };
}
