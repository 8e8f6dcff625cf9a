// The start: the language file, the content file and the program were asked for
// first (early.js); the program's download is counted for the loading bar and
// compiled as it arrives, in the warm-up worker where there is one; then the
// program runs. Whatever fails is said by its kind (errors.js).

import { fetchText, mark } from './early.js';
import { whenIdle } from './dom.js';
import { canRunRemote, startRemote } from './remote.js';

// loadWasm resolves with the program's module and instance: compiled by the warm-up
// worker, which downloaded it, or, without one (or if it could not download it),
// downloaded and compiled here. Here, the download's bytes are counted for the bar
// (the page knows the uncompressed size, written in by the build, so the bar shows
// true progress whatever the encoding) and compiled as they arrive: the compiler
// reads the response itself and the bar counts a copy, so a busy page never holds
// the download back; a host that labels the wasm with another type has it
// relabelled.
function loadWasm(url, size, imports, progress, warm) {
  const here = () => fetch(url).then((r) => {
    if (!r.ok) throw new Error('HTTP ' + r.status);
    if (!r.body || !r.clone || !WebAssembly.instantiateStreaming) {
      return r.arrayBuffer().then((b) => { progress(1, 1); return WebAssembly.instantiate(b, imports); });
    }
    const reader = r.clone().body.getReader();
    let seen = 0;
    const count = () => {
      reader.read().then((x) => {
        if (x.done) return;
        seen += x.value.length;
        progress(seen, size);
        count();
      }, () => {});
    };
    count();
    return WebAssembly.instantiateStreaming(wasmResponse(r), imports);
  });
  if (!warm) return here();
  warm.progress(progress);
  return warm.module().then((module) => (module
    ? WebAssembly.instantiate(module, imports).then((instance) => ({ module, instance }))
    : here()));
}

// wasmResponse relabels a response whose host gave the wasm another type.
function wasmResponse(r) {
  if (!/^application\/wasm\b/.test(r.headers.get('Content-Type') || '')) {
    return new Response(r.body, { headers: { 'Content-Type': 'application/wasm' } });
  }
  return r;
}

function webgl2() {
  try {
    return !!document.createElement('canvas').getContext('webgl2');
  } catch (e) {
    return false;
  }
}

export function startDiagram({ store, actions, facts, bridge, language, early }) {
  const manifest = facts.manifest;
  const settle = (p) => p.then(() => {}, () => {});
  const lang = early.lang;
  const wordsP = language.load(lang, early.words).catch((err) => {
    console.error('diagram: language ' + lang + ' could not be loaded:', err);
    throw err;
  });
  // Errors are shown once the words are in (or could not be), in the right language.
  const fail = (...args) => settle(wordsP).then(() => actions.fail(...args));
  let contentText = '';
  const contentP = (early.content || fetchText(manifest.content)).then((s) => {
    contentText = s;
    let parsed = null;
    try { parsed = JSON.parse(s); } catch (e) { /* the program names the problem */ }
    actions.setContent(parsed);
  }, (err) => {
    err.content = true;
    throw err;
  });

  if (typeof WebAssembly !== 'object' || typeof WebAssembly.instantiate !== 'function') return fail('noWasm');
  if (typeof WebGL2RenderingContext !== 'function') return fail('noWebGL');
  const warm = early.warm;
  // Where the worker that downloads the program can draw, and this browser can hand
  // it a canvas, the program runs there (remote.js); else here, after the worker's
  // warm-up run.
  const remote = warm && canRunRemote() ? warm.draws() : Promise.resolve(false);
  // Making a WebGL 2 context to see that one can be made takes 20-60 ms of the main
  // thread (a GPU channel is set up): done when the page is idle, not while it starts
  // and people begin to explore it; the program runs only if it can. (Where the
  // program runs in the worker, which has seen WebGL 2 there for itself, this says
  // the browser's own setting: Chromium's --disable-webgl leaves a worker's on.)
  const glOK = new Promise((resolve) => whenIdle(() => resolve(webgl2()), 1000));
  if (typeof Go !== 'function') return fail('load', 'wasm_exec.js did not load', true);
  const progress = (done, total) => actions.setProgress(total > 0 ? Math.min(100, Math.floor(100 * done / total)) : 0);
  if (warm) {
    warm.progress(progress); // the worker's download, whichever runs the program
    Promise.all([contentP, remote]).then(([, r]) => {
      if (r) return;
      const st = store.getState().stage;
      warm.content(contentText, st ? st.width : window.innerWidth, st ? st.height : window.innerHeight);
    }, () => {});
  }
  const go = new Go(); // eslint-disable-line no-undef
  const wasmP = remote.then((r) => (r
    ? warm.module().then((module) => ({ module, instance: null }))
    : loadWasm(manifest.wasm, manifest.wasmSize, go.importObject, progress, warm)));
  wasmP.then((r) => { if (r.instance) mark('diagram-wasm-instantiated'); }, () => {});
  let noGL = false;
  // The program's end, wherever it ran: main returns only after a failure it
  // reported; anything else is a crash (kind 'exit' with its code, 'crash' with the
  // reason) or, in the worker, a lost context ('lost').
  const ended = (kind, detail) => {
    bridge.stopped();
    if (kind === 'lost') actions.fail('lost', '', true);
    else if (kind === 'crash') actions.fail('program', String(detail), true);
    else if (store.getState().phase !== 'error') actions.fail('program', 'the program stopped (exit code ' + detail + ')', true);
  };
  return Promise.all([settle(wordsP), contentP, wasmP, glOK.then((ok) => { noGL = !ok; if (!ok) throw new Error('no WebGL 2'); }), remote])
    .then((r) => (warm && !r[4] ? warm.ready().then(() => r) : r)).then((r) => {
      mark('diagram-go-run', { worker: !!r[4] });
      progress(1, 1);
      if (r[4]) {
        let run = null;
        bridge.start(store.getState(), contentText, () => (run ? run.memory() : 0));
        run = startRemote({
          bridge,
          warm,
          contentText,
          onEnd: ended,
        });
        // For the bench and the tests: the program's frame rate, counted where it draws.
        bridge.api.countFrames = run.countFrames;
        return;
      }
      const inst = r[2].instance;
      bridge.start(store.getState(), contentText, () => inst.exports.mem.buffer.byteLength);
      let code = 0;
      const exit = go.exit;
      go.exit = (c) => { code = c; exit.call(go, c); };
      go.run(inst).then(() => ended('exit', code), (err) => ended('crash', err && err.message ? err.message : err));
      bridge.api.connected(); // if the program did not call it (it does, before its first frame)
    }).catch((err) => {
      if (noGL) return fail('noWebGL');
      const reason = err && err.message ? err.message : String(err);
      return fail(err && err.content ? 'contentLoad' : 'load', reason, true);
    });
}
