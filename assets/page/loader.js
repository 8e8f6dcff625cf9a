// The start: the language file, the content file and the program are fetched at
// once; the program's download is counted for the loading bar and compiled as it
// arrives; then the program runs. Whatever fails is said by its kind (errors.js).

export function fetchText(url) {
  return fetch(url).then((r) => {
    if (!r.ok) throw new Error(url + ': HTTP ' + r.status);
    return r.text();
  });
}

// loadWasm downloads the program while counting its bytes (the page knows the
// uncompressed size, written in by the build, so the bar shows true progress
// whatever the encoding), and compiles it as it arrives. (The page's head preloads
// it, so the request is under way long before this runs.) The compiler reads the
// response itself and the bar counts a copy, so a busy page never holds the
// download back; a host that labels the wasm with another type has it relabelled.
//
// With a warm-up worker (warm.js), the download is handed to it instead: it
// decodes and compiles the module off the main thread and sends it back.
function loadWasm(url, size, imports, progress, warm) {
  return fetch(url).then((r) => {
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
    const viaWorker = warm && warm.compile(r.body);
    if (viaWorker) {
      return viaWorker.then((module) => (module
        ? WebAssembly.instantiate(module, imports).then((instance) => ({ module, instance }))
        // The worker could not run at all: the page compiles, as without one.
        : WebAssembly.instantiateStreaming(fetch(url).then(wasmResponse), imports)));
    }
    return WebAssembly.instantiateStreaming(wasmResponse(r), imports);
  });
}

// wasmResponse relabels a response whose host gave the wasm another type.
function wasmResponse(r) {
  if (!/^application\/wasm\b/.test(r.headers.get('Content-Type') || '')) {
    return new Response(r.body, { headers: { 'Content-Type': 'application/wasm' } });
  }
  return r;
}

// createWarmUp starts the warm-up worker (assets/warm.js), or returns null where
// the page cannot have one (no workers; a sandboxed frame, whose opaque origin
// may not start one; no transferable streams): the page then compiles and runs
// the program by itself, as before.
//   compile(body)  hands the download over; resolves with the module, or null if
//                  the worker failed to run (rejects if the program does not compile)
//   content(text, width, height)  the content for the warm-up run
//   ready()        resolves when the page's run may start: the warm-up run's main
//                  has started (every package initialised, so compiled), or it
//                  ended or failed, or after patienceMs
export function createWarmUp(manifest, patienceMs = 4000) {
  if (!manifest.worker || !manifest.wasmExec || typeof Worker !== 'function') return null;
  let worker;
  try {
    worker = new Worker(manifest.worker);
  } catch (e) {
    return null;
  }
  const exec = new URL(manifest.wasmExec, document.baseURI).href;
  let moduleDone, moduleFailed, startedDone;
  const module = new Promise((resolve, reject) => { moduleDone = resolve; moduleFailed = reject; });
  const started = new Promise((resolve) => { startedDone = resolve; });
  worker.addEventListener('message', (e) => {
    const m = e.data || {};
    if (m.module) {
      mark('diagram-wasm-compiled');
      moduleDone(m.module);
    } else if (m.error && !m.done) {
      moduleFailed(new Error(m.error)); // the program does not compile
    }
    if (m.started) mark('diagram-warm-started');
    if (m.started || m.done || m.error) startedDone();
    if (m.done && m.error) console.warn('diagram: the warm-up run stopped:', m.error);
  });
  // The worker could not run at all (its script did not load): no module from it.
  worker.addEventListener('error', (e) => {
    e.preventDefault();
    moduleDone(null);
    startedDone();
  });
  return {
    compile(body) {
      try {
        worker.postMessage({ body, exec }, [body]);
      } catch (e) {
        worker.terminate();
        startedDone();
        return null; // streams are not transferable here; body is still the page's
      }
      return module;
    },
    content(text, width, height) {
      worker.postMessage({ content: text, width, height });
    },
    ready() {
      return Promise.race([started, new Promise((resolve) => setTimeout(resolve, patienceMs))]);
    },
  };
}

// mark leaves a User Timing mark (the bench and the tests read them).
function mark(name) {
  try { performance.mark(name); } catch (e) { /* old browsers */ }
}

function webgl2() {
  try {
    return !!document.createElement('canvas').getContext('webgl2');
  } catch (e) {
    return false;
  }
}

export function startDiagram({ store, actions, facts, bridge, language, lang }) {
  const manifest = facts.manifest;
  const settle = (p) => p.then(() => {}, () => {});
  const wordsP = language.load(lang).catch((err) => {
    console.error('diagram: language ' + lang + ' could not be loaded:', err);
    throw err;
  });
  // Errors are shown once the words are in (or could not be), in the right language.
  const fail = (...args) => settle(wordsP).then(() => actions.fail(...args));
  let contentText = '';
  const contentP = fetchText(manifest.content).then((s) => {
    contentText = s;
    let parsed = null;
    try { parsed = JSON.parse(s); } catch (e) { /* the program names the problem */ }
    actions.setContent(parsed);
  }, (err) => {
    err.content = true;
    throw err;
  });

  if (typeof WebAssembly !== 'object' || typeof WebAssembly.instantiate !== 'function') return fail('noWasm');
  if (!webgl2()) return fail('noWebGL');
  if (typeof Go !== 'function') return fail('load', 'wasm_exec.js did not load', true);
  const go = new Go(); // eslint-disable-line no-undef
  const progress = (done, total) => actions.setProgress(total > 0 ? Math.min(100, Math.floor(100 * done / total)) : 0);
  const warm = createWarmUp(manifest);
  if (warm) {
    contentP.then(() => {
      const st = store.getState().stage;
      warm.content(contentText, st ? st.width : window.innerWidth, st ? st.height : window.innerHeight);
    }, () => {});
  }
  const wasmP = loadWasm(manifest.wasm, manifest.wasmSize, go.importObject, progress, warm);
  wasmP.then(() => mark('diagram-wasm-instantiated'), () => {});
  return Promise.all([settle(wordsP), contentP, wasmP]).then((r) => (warm ? warm.ready().then(() => r) : r)).then((r) => {
    mark('diagram-go-run');
    progress(1, 1);
    const inst = r[2].instance;
    bridge.start(store.getState(), contentText, inst.exports.mem);
    let code = 0;
    const exit = go.exit;
    go.exit = (c) => { code = c; exit.call(go, c); };
    go.run(inst).then(() => {
      // main returns only after a failure it reported; anything else is a crash.
      bridge.stopped();
      if (store.getState().phase !== 'error') actions.fail('program', 'the program stopped (exit code ' + code + ')', true);
    }, (err) => {
      bridge.stopped();
      actions.fail('program', err && err.message ? err.message : String(err), true);
    });
    bridge.api.connected(); // if the program did not call it (it does, before its first frame)
  }).catch((err) => {
    const reason = err && err.message ? err.message : String(err);
    return fail(err && err.content ? 'contentLoad' : 'load', reason, true);
  });
}
