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
function loadWasm(url, size, imports, progress) {
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
    if (!/^application\/wasm\b/.test(r.headers.get('Content-Type') || '')) {
      r = new Response(r.body, { headers: { 'Content-Type': 'application/wasm' } });
    }
    return WebAssembly.instantiateStreaming(r, imports);
  });
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
  const wasmP = loadWasm(manifest.wasm, manifest.wasmSize, go.importObject, progress);
  return Promise.all([settle(wordsP), contentP, wasmP]).then((r) => {
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
