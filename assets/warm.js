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
// Messages in: {body: ReadableStream, exec: URL of wasm_exec.js}, {content: text,
// width, height}. Out: {module}, {error}, {started}, {done}.
'use strict';

let module = null;
let exec = '';
let content = null;
let size = [800, 600];
let ran = false;

const warm = () => {
  if (ran || !module || content === null) return;
  ran = true;
  try {
    importScripts(exec);
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
    postMessage({ done: true, error: String(err && err.message ? err.message : err) });
    close();
  }
};

onmessage = (e) => {
  const m = e.data || {};
  if (m.body) {
    exec = m.exec;
    WebAssembly.compileStreaming(new Response(m.body, { headers: { 'Content-Type': 'application/wasm' } })).then((mod) => {
      module = mod;
      postMessage({ module: mod });
      warm();
    }, (err) => {
      postMessage({ error: String(err && err.message ? err.message : err) });
      close();
    });
  }
  if (typeof m.content === 'string') {
    content = m.content;
    if (m.width > 0 && m.height > 0) size = [m.width, m.height];
    warm();
  }
};
