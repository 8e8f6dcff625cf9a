// The program's compiler and warm-up, in a worker, off the page's main thread.
//
// Browsers compile a WebAssembly module's functions lazily, each the first time it
// is called, on the thread that calls it; and they decode a streamed module on the
// thread that asked for it. Left to the page, both happen on its main thread while
// the program starts. Here, the page hands over the program's download (the
// response body, transferred); this worker compiles it and sends the module back
// (a module is shared between threads, code and all); then it runs the program
// once with `diagramWarmUp` set (see wasm/warm.go), which walks the program's own
// start without a page or a canvas, so that what it calls is compiled before the
// page's run calls it. It tells the page when the program's main has started
// (every package initialised) and when the warm-up is done, then closes.
//
// Messages in: {wasm: URL of the program, exec: URL of wasm_exec.js, size: its
// uncompressed size}, {content: text, width, height}. Out: {progress: bytes},
// {module}, {unavailable: reason} (it could not be downloaded here: the page tries),
// {error} (it does not compile), {started}, {done}, and {fetched: resource timings}
// for what this worker downloaded (a worker's are not the page's).
'use strict';

let module = null;
let exec = '';
let content = null;
let size = [800, 600];
let ran = false;

// report posts the resource timings not reported yet.
let reported = 0;
const report = () => {
  const all = performance.getEntriesByType('resource');
  const fresh = all.slice(reported).map((r) => ({ name: r.name, transferSize: r.transferSize, encodedBodySize: r.encodedBodySize, startTime: r.startTime, responseEnd: r.responseEnd }));
  reported = all.length;
  if (fresh.length) postMessage({ fetched: fresh });
};

const reason = (err) => String(err && err.message ? err.message : err);

// download fetches the program and compiles it as it arrives, posting how many
// (uncompressed) bytes have come, about every 2% of them.
const download = (url, total) => fetch(url).then((r) => {
  if (!r.ok || !r.body) {
    postMessage({ unavailable: 'HTTP ' + r.status });
    return null;
  }
  let seen = 0, told = 0;
  const step = Math.max(65536, (total || 0) / 50);
  const counted = r.body.pipeThrough(new TransformStream({
    transform(chunk, out) {
      seen += chunk.byteLength;
      if (seen - told >= step) { told = seen; postMessage({ progress: seen }); }
      out.enqueue(chunk);
    },
    flush() { postMessage({ progress: seen }); },
  }));
  return WebAssembly.compileStreaming(new Response(counted, { headers: { 'Content-Type': 'application/wasm' } })).then((mod) => {
    report();
    return mod;
  }, (err) => {
    // A download cut short is not a program that does not compile.
    if (seen < total) postMessage({ unavailable: reason(err) });
    else postMessage({ error: reason(err) });
    return null;
  });
}, (err) => {
  postMessage({ unavailable: reason(err) });
  return null;
});

const warm = () => {
  if (ran || !module || content === null) return;
  ran = true;
  try {
    importScripts(exec);
    report();
    // What Ebiten's package initialisers touch of a page, which a worker has not
    // (they find the document, make a canvas, add listeners): a stand-in that
    // answers everything with itself. The warm-up run never draws or listens.
    const Doc = function Document() {};
    Object.defineProperty(Doc.prototype, 'hidden', { get() { return true; } });
    const stub = new Proxy(function () {}, {
      get: (t, k) => (k === Symbol.toPrimitive ? () => 0 : k === 'then' ? undefined : stub),
      apply: () => stub,
      construct: () => stub,
      set: () => true,
    });
    self.Document = Doc;
    self.window = self;
    self.document = stub;
    self.diagramWarmUp = {
      content, width: size[0], height: size[1],
      started: () => postMessage({ started: true }),
    };
    const go = new Go(); // eslint-disable-line no-undef
    WebAssembly.instantiate(module, go.importObject)
      .then((inst) => go.run(inst))
      .then(() => postMessage({ done: true }), (err) => postMessage({ done: true, error: String(err) }))
      .then(() => close());
  } catch (err) {
    postMessage({ done: true, error: reason(err) });
    close();
  }
};

onmessage = (e) => {
  const m = e.data || {};
  if (m.wasm) {
    exec = m.exec;
    download(m.wasm, m.size).then((mod) => {
      if (!mod) { close(); return; }
      module = mod;
      postMessage({ module: mod });
      warm();
    });
  }
  if (typeof m.content === 'string') {
    content = m.content;
    if (m.width > 0 && m.height > 0) size = [m.width, m.height];
    warm();
  }
};
