// The program's compiler and warm-up, in a worker, off the page's main thread.
//
// Browsers compile a WebAssembly module's functions lazily, each the first time it
// is called, on the thread that calls it; and they decode a streamed module on the
// thread that asked for it. Left to the page, both happen on its main thread while
// the program starts. Here, the page hands over the program's download (the
// response body, transferred); this worker compiles it and sends the module back
// (a module is shared between threads, code and all); then it runs the program
// once with `diagramWarmUp` set (see wasm/warm.go), which walks the program's own
// start without a page, drawing its first picture on a canvas of its own (an
// OffscreenCanvas, where the worker has WebGL 2), so that what it calls is
// compiled before the page's run calls it. It tells the page when the program's main has started
// (every package initialised) and when the warm-up is done, then closes.
//
// Messages in: {wasm: URL of the program, exec: URL of wasm_exec.js, size: its
// uncompressed size}, {content: text, width, height}. Out: {progress: bytes},
// {module}, {unavailable: reason} (it could not be downloaded here: the page tries),
// {error} (it does not compile), {started, drawing: whether it will draw}, {warmed}
// (the engine's first frames drawn), {done, drew: whether it drew the first
// picture}, and {fetched: resource timings} for what this worker downloaded (a
// worker's are not the page's).
'use strict';

let module = null;
let exec = '';
let content = null;
let size = [800, 600];
let ran = false;
let drew = false; // the warm-up run drew the first picture on its canvas

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
    // What Ebiten touches of a page, which a worker has not (it finds the
    // document, makes a canvas, adds listeners, reads the body's size): a
    // stand-in that answers everything else with itself. Its canvas is a real
    // one, off screen, with WebGL 2 where the worker has it: the warm-up run
    // draws the first picture on it as the page's run will (wasm/warm.go). It
    // never listens, and its frames follow each other at once.
    // The warm-up draws small: the code it walks is the same at any size, and the
    // GPU's work (and the CPU's painting) is what it would take from the page.
    const [w, h] = [240, 160];
    const Doc = function Document() {};
    Object.defineProperty(Doc.prototype, 'hidden', { get() { return false; } });
    const stub = new Proxy(function () {}, {
      get: (t, k) => (k === Symbol.toPrimitive ? () => 0 : k === 'then' ? undefined : stub),
      apply: () => stub,
      construct: () => stub,
      set: () => true,
    });
    const like = (o) => new Proxy(o, {
      get: (t, k) => (k in t ? t[k] : k === 'then' || k === Symbol.toPrimitive ? undefined : stub),
    });
    let canvas = null;
    try {
      canvas = new OffscreenCanvas(w, h);
      Object.assign(canvas, {
        style: stub,
        setAttribute() {},
        focus() {},
        getBoundingClientRect: () => ({ x: 0, y: 0, left: 0, top: 0, width: w, height: h }),
      });
    } catch (e) { canvas = null; /* no OffscreenCanvas: the warm-up does not draw */ }
    self.Document = Doc;
    self.window = self;
    self.devicePixelRatio = 1;
    self.screen = { width: w, height: h };
    self.requestAnimationFrame = (f) => setTimeout(() => f(performance.now()), 0);
    self.document = like({
      body: like({ clientWidth: w, clientHeight: h, style: stub, appendChild() {} }),
      hasFocus: () => true,
      createElement: (tag) => (tag === 'canvas' && canvas ? canvas : stub),
      getElementsByTagName: (tag) => (tag === 'canvas' && canvas ? [canvas] : []),
    });
    self.diagramWarmUp = {
      content, width: size[0], height: size[1], canvas,
      started: () => postMessage({ started: true, drawing: !!canvas }),
      warmed: () => postMessage({ warmed: true }),
      drew: () => { drew = true; },
    };
    const go = new Go(); // eslint-disable-line no-undef
    WebAssembly.instantiate(module, go.importObject)
      .then((inst) => go.run(inst))
      .then(() => postMessage({ done: true, drew }), (err) => postMessage({ done: true, drew, error: String(err) }))
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
