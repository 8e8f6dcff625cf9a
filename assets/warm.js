// The program's compiler, its warm-up, and where it can, the program itself, in a
// worker, off the page's main thread.
//
// Browsers compile a WebAssembly module's functions lazily, each the first time it
// is called, on the thread that calls it; and they decode a streamed module on the
// thread that asked for it. Left to the page, both happen on its main thread while
// the program starts. Here, this worker downloads the program, compiles it as it
// arrives and sends the module to the page (a module is shared between threads,
// code and all), then says whether it can draw: WebGL 2 on an OffscreenCanvas.
//
// Where it can, the page hands it its canvas (transferControlToOffscreen) and the
// program runs here, drawing on it: Go's start, Ebiten's, the first frame and
// every frame after are this thread's, and the page's main thread only relays
// (see run below and assets/page/remote.js). Where it cannot, the page runs the
// program itself, and this worker runs it once first with `diagramWarmUp` set
// (see wasm/warm.go), which walks the program's own start without a page or a
// canvas, so that what it calls is compiled before the page's run calls it; it
// tells the page when the program's main has started (every package initialised)
// and when the warm-up is done, then closes.
//
// Messages in: {wasm: URL of the program, exec: URL of wasm_exec.js, size: its
// uncompressed size}; then either {content: text, width, height} (warm up) or
// {run: the canvas and what the program reads of the page} and, while it runs,
// {cmd}, {input}, {resize}, {hidden}, {focused}, {release}, {countFrames} (see
// run). Out: {progress: bytes}, {module}, {draws: whether it can run the
// program}, {unavailable: reason} (it could not be downloaded here: the page
// tries), {error} (it does not compile), {started}, {done}, {fetched: resource
// timings} for what this worker downloaded (a worker's are not the page's), and
// while the program runs here the relay's messages (see run).
//
// The build bundles it (esbuild, one classic script) with what it imports.
'use strict';

import { holdFrames } from './page/rest.js';

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

// canDraw reports whether the program can run here: WebGL 2 on an OffscreenCanvas
// (the context made to see it is given back at once).
const canDraw = () => {
  try {
    if (typeof OffscreenCanvas !== 'function' || typeof requestAnimationFrame !== 'function') return false;
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
    if (!gl) return false;
    const lose = gl.getExtension('WEBGL_lose_context');
    if (lose) lose.loseContext();
    return true;
  } catch (e) {
    return false;
  }
};

// The program run here, on the page's canvas. What Ebiten v2.9.10 and the program
// read of a page, a worker has not: run gives them a stand-in, the least that
// answers them, kept in step with the page by its messages:
//   window      devicePixelRatio, addEventListener (resize), location.reload (the
//               engine's answer to a lost WebGL context: told to the page)
//   document    body (its client size; appendChild, since the page's canvas is
//               in the page already), head, documentElement, createElement and
//               getElementsByTagName('canvas') (the canvas below), hasFocus,
//               addEventListener; Document.prototype.hidden
//   the canvas  the transferred OffscreenCanvas's size and getContext; its
//               listeners, fired by the page's forwarded input; setAttribute and
//               focus (the page keeps its canvas's attributes and focus)
//   style       of the canvas, the body and the root element: every property set
//               is sent to the page, which sets it on its element (the cursor, the
//               canvas's visibility while the first picture is prepared)
//   screen, navigator.getGamepads, console (sent to the page's, where the tests
//               and people look)
//   diagramBridge  the page's bridge (assets/page/bridge.js), relayed: the
//               options and the content, commands in, events, connected and idle
//               out, and the program's memory
// and holds the program's animation frames back while it is at rest, as the
// page's rest.js does on the main thread.
// Message in, run: {canvas, width, height (the body's client size), dpr, screen:
// [w, h], hidden, focused, options, content}; then {synced} once the page has
// sent what it queued for the program's connection. Out while it runs: {connected},
// {event: name, e}, {idle, memory}, {memory}, {style: [element, property, value
// or null to remove]}, {console: [level, args]}, {lost}, {exit: code}, {crash:
// reason}, {frames: per second, id}.
let program = null;
const run = (m) => {
  if (ran || !module) return;
  ran = true;
  try {
    importScripts(exec);
    report();
    program = standIn(m);
    const go = new Go(); // eslint-disable-line no-undef
    let code = 0;
    const exit = go.exit;
    go.exit = (c) => { code = c; exit.call(go, c); };
    WebAssembly.instantiate(module, go.importObject).then((inst) => {
      program.memory = inst.exports.mem;
      return go.run(inst);
    }).then(() => postMessage({ exit: code }), (err) => postMessage({ crash: reason(err) })).then(program.stop);
  } catch (err) {
    postMessage({ crash: reason(err) });
  }
};

const standIn = (m) => {
  const st = { width: m.width, height: m.height, dpr: m.dpr || 1, screen: m.screen || [m.width, m.height], hidden: !!m.hidden, focused: !!m.focused };
  const text = (x) => {
    if (x instanceof Error) return x.stack || x.message;
    if (typeof x === 'function' || typeof x === 'symbol') return String(x);
    if (x && typeof x === 'object') {
      try { return JSON.parse(JSON.stringify(x)); } catch (e) { return String(x); }
    }
    return x;
  };
  for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
    console[level] = (...args) => postMessage({ console: [level, args.map(text)] });
  }

  // While the program keeps its canvas hidden (style visibility, as it does
  // while its first picture is prepared, see wasm/internal/render), draws on
  // the canvas itself are left out, as on the page a hidden canvas is not
  // composited: here a canvas drawn on is a frame for the compositor whatever
  // the page shows, which without a GPU reads it back, waiting for the GPU's work
  // so far (the engine clears its screen in its first frames). Left out, the GPU
  // compiles and uploads while the program goes on. Once the canvas has been
  // seen, each is the context's own method called through (Ebiten keeps its own
  // bound copies of them, made when it started, so they cannot be taken back).
  const unseen = (gl, style) => {
    if (!gl || typeof WebGL2RenderingContext !== 'function' || !(gl instanceof WebGL2RenderingContext) || gl.unseen) return gl;
    let seen = false;
    const skip = () => {
      if (seen) return false;
      if (style.getPropertyValue('visibility') !== 'hidden') { seen = true; return false; }
      return gl.getParameter(gl.DRAW_FRAMEBUFFER_BINDING) === null;
    };
    const proto = WebGL2RenderingContext.prototype;
    const { clear, drawArrays, drawElements } = proto;
    gl.clear = function (mask) { if (!skip()) clear.call(gl, mask); };
    gl.drawArrays = function (mode, first, count) { if (!skip()) drawArrays.call(gl, mode, first, count); };
    gl.drawElements = function (mode, count, type, offset) { if (!skip()) drawElements.call(gl, mode, count, type, offset); };
    gl.unseen = true;
    return gl;
  };

  // Listeners by target and type, fired by the page's messages.
  const listeners = { canvas: {}, window: {}, document: {} };
  const target = (who) => ({
    addEventListener(type, fn) { (listeners[who][type] = listeners[who][type] || []).push(fn); },
    removeEventListener(type, fn) {
      const l = listeners[who][type] || [];
      if (l.indexOf(fn) >= 0) l.splice(l.indexOf(fn), 1);
    },
  });
  const fire = (who, type, e) => {
    for (const fn of (listeners[who][type] || []).slice()) {
      try { fn(e); } catch (err) { console.error(err); }
    }
  };
  const style = (who) => {
    const own = {};
    const set = (k, v) => {
      own[k] = v;
      postMessage({ style: [who, k, v == null ? null : String(v)] });
    };
    return new Proxy(own, {
      get(t, k) {
        if (k === 'setProperty') return (p, v) => set(p, v);
        if (k === 'removeProperty') return (p) => { delete own[p]; postMessage({ style: [who, p, null] }); };
        if (k === 'getPropertyValue') return (p) => (own[p] == null ? '' : String(own[p]));
        return t[k];
      },
      set(t, k, v) { set(k, v); return true; },
    });
  };

  const oc = m.canvas;
  const canvasStyle = style('canvas');
  const canvas = Object.assign(target('canvas'), {
    style: canvasStyle,
    getContext: (type, attr) => unseen(oc.getContext(type, attr), canvasStyle),
    setAttribute() {},
    removeAttribute() {},
    focus() {},
    blur() {},
    requestPointerLock() {},
  });
  for (const k of ['width', 'height']) Object.defineProperty(canvas, k, { get: () => oc[k], set: (v) => { oc[k] = v; } });
  const listen = canvas.addEventListener;
  canvas.addEventListener = (type, fn, o) => (/^webglcontext/.test(type) ? oc.addEventListener(type, fn, o) : listen(type, fn));

  function Document() {}
  Object.defineProperty(Document.prototype, 'hidden', { get: () => st.hidden });
  const body = { style: style('body'), appendChild() {} };
  Object.defineProperty(body, 'clientWidth', { get: () => st.width });
  Object.defineProperty(body, 'clientHeight', { get: () => st.height });
  const doc = Object.assign(Object.create(Document.prototype), target('document'), {
    body,
    head: { appendChild() {} },
    documentElement: { style: style('html') },
    createElement: (tag) => (String(tag).toLowerCase() === 'canvas' ? canvas : { style: {}, setAttribute() {}, click() {} }),
    getElementsByTagName: (tag) => (String(tag).toLowerCase() === 'canvas' ? [canvas] : []),
    hasFocus: () => st.focused,
    fullscreenElement: null,
    pointerLockElement: null,
    exitPointerLock() {},
    exitFullscreen() {},
  });
  const win = Object.assign(target('window'), { location: { reload: () => postMessage({ lost: true }) } });
  win.parent = win;
  Object.defineProperty(win, 'devicePixelRatio', { get: () => st.dpr });
  self.Document = Document;
  self.document = doc;
  self.window = win;
  Object.defineProperty(self, 'devicePixelRatio', { configurable: true, get: () => st.dpr });
  self.screen = {};
  Object.defineProperty(self.screen, 'width', { get: () => st.screen[0] });
  Object.defineProperty(self.screen, 'height', { get: () => st.screen[1] });
  if (self.WorkerNavigator && !('getGamepads' in WorkerNavigator.prototype)) WorkerNavigator.prototype.getGamepads = () => [];

  // Rest (as assets/page/rest.js on the page): while the program says it is idle,
  // its requests for animation frames are held until a command, the pointer, a
  // resize or a heartbeat of 500 ms.
  // The program's frames are counted as each ends (see input below).
  // From the program's connection until the page's answer (the commands it
  // queued while the program loaded: the step, the selection and the pointer of
  // the explorable picture, then {synced}), the program's frames wait, at most
  // 5 s (a page that never answers): on the page they are sent in the
  // connection's own call, and the first picture is drawn with them, with no
  // jump at the hand-over. The page, explorable meanwhile, answers at once
  // unless its main thread is held.
  const native = self.requestAnimationFrame.bind(self);
  let frame = 0;
  let syncing = null; // the frames waiting for the page's answer
  let syncTimer = 0;
  const synced = () => {
    clearTimeout(syncTimer);
    const waiting = syncing || [];
    syncing = null;
    for (const f of waiting) native(f);
  };
  const frames = holdFrames(native, (cb) => function programFrame(t) {
    if (syncing) { syncing.push(programFrame); return; }
    try { cb(t); } finally {
      frame++;
      drain();
    }
  });
  const release = frames.release;
  self.requestAnimationFrame = frames.request;

  const prog = { memory: null };
  const memory = () => (prog.memory ? prog.memory.buffer.byteLength : 0);
  let told = 0;
  const memoryTimer = setInterval(() => {
    if (memory() !== told) postMessage({ memory: (told = memory()) });
  }, 1000);
  prog.stop = () => clearInterval(memoryTimer); // once the program has ended
  self.diagramBridge = {
    options: m.options,
    content: m.content,
    command: null, // set by the program
    onEvent: (name, e) => {
      // The first picture is sent to the compositor as the task that drew it
      // ends (a frame's, or the timer's that saw the GPU done with it, see
      // awaitGPU in wasm/internal/render): the page hears of it at the next frame.
      if (name === 'ready') { const r = { event: name, e: text(e) }; native(() => postMessage(r)); return; }
      try { postMessage({ event: name, e }); } catch (err) { postMessage({ event: name, e: text(e) }); }
    },
    connected: () => {
      syncing = syncing || [];
      syncTimer = setTimeout(synced, 5000);
      postMessage({ connected: true });
    },
    idle: (on) => {
      frames.rest(on);
      postMessage({ idle: frames.resting(), memory: (told = memory()) });
    },
    memory,
  };

  // Input, in order. Ebiten reads a button's state once a frame: a press and its
  // release between two of the program's frames would be no click at all, and a
  // release and the next press no second click. Here the program's frames are the
  // worker's, slower than the page's events on a busy machine, so a press or a
  // release waits until a frame has ended since the last one (and what came after
  // it waits behind it).
  const pending = [];
  const changes = { mousedown: true, mouseup: true, touchstart: true, touchend: true };
  let changed = -1; // the frame during which a button or a touch last changed
  const drain = () => {
    while (pending.length) {
      const d = pending[0];
      if (d.cmd) {
        pending.shift();
        command(d.cmd);
        continue;
      }
      if (changes[d.type]) {
        if (changed === frame) return;
        changed = frame;
      }
      pending.shift();
      fire('canvas', d.type, eventOf(d));
    }
  };

  const command = (args) => {
    const f = self.diagramBridge.command;
    if (typeof f === 'function') f(...args);
  };

  // A forwarded event: the fields Ebiten reads, and what it calls.
  const eventOf = (d) => {
    const e = Object.assign({}, d, { preventDefault() {}, stopPropagation() {} });
    for (const k of ['targetTouches', 'changedTouches', 'touches']) {
      const l = d[k] || [];
      e[k] = { length: l.length, item: (i) => l[i] || null };
    }
    return e;
  };
  prog.message = (msg) => {
    // A command waits behind input still waiting, so that it does not overtake
    // it (the pointer left after a click).
    if (msg.cmd) {
      if (pending.length) pending.push({ cmd: msg.cmd }); else command(msg.cmd);
      release();
    }
    if (msg.input) {
      if (msg.input.type !== 'blur' && msg.input.type !== 'contextmenu') release();
      pending.push(msg.input);
      drain();
    }
    if (msg.resize) {
      Object.assign(st, msg.resize);
      release();
      fire('window', 'resize', eventOf({ type: 'resize' }));
    }
    if ('hidden' in msg) st.hidden = !!msg.hidden;
    if ('focused' in msg) st.focused = !!msg.focused;
    if (msg.release) release();
    if (msg.synced) synced();
    if (msg.countFrames) {
      let n = 0;
      const t0 = performance.now();
      const f = () => {
        n++;
        if (performance.now() - t0 < msg.countFrames) native(f);
        else postMessage({ frames: n * 1000 / (performance.now() - t0), id: msg.id });
      };
      native(f);
    }
  };
  return prog;
};

onmessage = (e) => {
  const m = e.data || {};
  if (m.wasm) {
    exec = m.exec;
    download(m.wasm, m.size).then((mod) => {
      if (!mod) { close(); return; }
      module = mod;
      postMessage({ module: mod });
      postMessage({ draws: canDraw() });
      warm(); // if the page sent the content for a warm-up already
    });
  }
  if (m.run) run(m.run);
  if (program) program.message(m);
  if (typeof m.content === 'string') {
    content = m.content;
    if (m.width > 0 && m.height > 0) size = [m.width, m.height];
    warm();
  }
};
