// The start of what a cold load waits for longest, made first when the page's
// script starts: the words of the page's language, from the page (English, put in
// by the build) or fetched; the content file; and the warm-up worker, which
// downloads and compiles the program itself, so that the program's bytes never
// pass through the page's main thread (a preload or a fetch made by the page is
// read there, 10 MB decoded, in tasks of up to 300 ms on a busy two-core machine).
// (Starting it from a script of its own, async in the head, before the page is
// parsed, was tried: see the README's performance section for why it is not.)

export function fetchText(url) {
  return fetch(url).then((r) => {
    if (!r.ok) throw new Error(url + ': HTTP ' + r.status);
    return r.text();
  });
}

// mark leaves a User Timing mark (the bench and the tests read them).
export function mark(name, detail) {
  try { performance.mark(name, detail === undefined ? undefined : { detail }); } catch (e) { /* old browsers */ }
}

// A promise that is asked for before anyone waits on it: its failure is the
// waiter's to report, not an unhandled rejection meanwhile.
const held = (p) => { p.catch(() => {}); return p; };

// startEarly starts it, for the page's facts and its language (lang):
//   lang, words   the language and its file's text
//   content       the content file's text
//   warm          the warm-up worker (createWarmUp), or null where there is none
export function startEarly(facts, lang, doc = document) {
  const manifest = facts.manifest;
  // The default language's words are in the page (the build puts them in).
  const inline = doc.getElementById('words');
  return {
    lang,
    words: inline && inline.getAttribute('data-lang') === lang ? Promise.resolve(inline.textContent)
      : manifest.lang && manifest.lang[lang] ? held(fetchText(manifest.lang[lang])) : null,
    content: manifest.content ? held(fetchText(manifest.content)) : null,
    warm: createWarmUp(manifest),
  };
}

// createWarmUp starts the warm-up worker (assets/warm.js), which downloads the
// program and compiles it, then runs it once to warm it up (see warm.js); or
// returns null where the page cannot have one (no workers; a sandboxed frame,
// whose opaque origin may not start one): the page then downloads, compiles and
// runs the program by itself.
//   module()        resolves with the compiled module, or null if the worker did
//                   not run or could not download it (the page then tries itself);
//                   rejects if the program does not compile
//   progress(fn)    fn(bytes, total) as the download arrives (the last count at once)
//   draws()         resolves with whether the worker can run the program itself,
//                   drawing on a canvas the page hands it (WebGL 2 on an
//                   OffscreenCanvas): false if it could not download the program
//   content(text, width, height)  the content for the warm-up run, where the page
//                   runs the program itself
//   ready()         resolves when the page's run may start: the warm-up run's main
//                   has started (every package initialised, so compiled), or it
//                   ended or failed, or after patienceMs
//   post(message, transfer), listen(fn)  the program's relay where it runs in
//                   the worker (remote.js): fn(message) for each of its messages
// What the worker downloaded is left as a 'diagram-worker-fetched' mark whose detail
// lists its resource timings (a worker's are not the page's), for the bench and tests.
export function createWarmUp(manifest, patienceMs = 4000) {
  if (!manifest.worker || !manifest.wasm || !manifest.wasmExec || typeof Worker !== 'function') return null;
  let worker;
  try {
    worker = new Worker(manifest.worker);
  } catch (e) {
    return null;
  }
  const abs = (u) => new URL(u, document.baseURI).href;
  let moduleDone, moduleFailed, startedDone;
  const module = new Promise((resolve, reject) => { moduleDone = resolve; moduleFailed = reject; });
  module.catch(() => {});
  const started = new Promise((resolve) => { startedDone = resolve; });
  let drawsDone;
  const draws = new Promise((resolve) => { drawsDone = resolve; });
  let seen = 0;
  let onProgress = null;
  let relay = null;
  worker.addEventListener('message', (e) => {
    const m = e.data || {};
    if (relay) relay(m);
    if (typeof m.draws === 'boolean') drawsDone(m.draws);
    if (m.fetched) mark('diagram-worker-fetched', m.fetched);
    if (typeof m.progress === 'number') {
      seen = m.progress;
      if (onProgress) onProgress(seen, manifest.wasmSize);
    }
    if (m.module) {
      mark('diagram-wasm-compiled');
      moduleDone(m.module);
    } else if (m.unavailable) {
      console.warn('diagram: the warm-up worker could not download the program (' + m.unavailable + '); the page downloads it');
      moduleDone(null);
      drawsDone(false);
      startedDone();
    } else if (m.error && !m.done) {
      moduleFailed(new Error(m.error)); // the program does not compile
      drawsDone(false);
    }
    if (m.started) mark('diagram-warm-started');
    if (m.started || m.done || m.error) startedDone();
    if (m.done && m.error) console.warn('diagram: the warm-up run stopped:', m.error);
  });
  // The worker could not run at all (its script did not load): no module from it.
  worker.addEventListener('error', (e) => {
    e.preventDefault();
    // Once the program runs there, an uncaught error in the worker is its crash.
    if (relay) relay({ crash: e.message || 'the worker stopped' });
    moduleDone(null);
    drawsDone(false);
    startedDone();
  });
  worker.postMessage({ wasm: abs(manifest.wasm), exec: abs(manifest.wasmExec), size: manifest.wasmSize || 0 });
  return {
    module: () => module,
    progress(fn) {
      onProgress = fn;
      if (seen) fn(seen, manifest.wasmSize);
    },
    draws: () => draws,
    post: (m, transfer) => worker.postMessage(m, transfer || []),
    listen(fn) { relay = fn; },
    content(text, width, height) {
      worker.postMessage({ content: text, width, height });
    },
    ready() {
      return Promise.race([started, new Promise((resolve) => setTimeout(resolve, patienceMs))]);
    },
  };
}
