// The program in the worker. Where the worker that downloaded the program can draw
// (WebGL 2 on an OffscreenCanvas) and the browser can hand a canvas over, the
// program runs there (assets/warm.js, run) and draws on the page's canvas:
// nothing of Go or Ebiten runs on the page's main thread, which stays free for the
// people exploring the page while the program starts, and for the page's own work
// after. The page keeps the canvas element (its place in the main landmark, its
// name, its title, its focus) and relays between it and the program:
//   - the bridge (bridge.js): the options and the content go with the canvas; the
//     program's events, its connection and its rest come back as messages, and
//     the page's commands go to it once it is connected;
//   - the canvas's input, as Ebiten listens to it on a page (mouse, wheel, touch,
//     the context menu, blur; keys aimed at the canvas stop at the page, keys.js),
//     with the default actions Ebiten prevents prevented here, and the focus it
//     gives the canvas given here;
//   - the window's size, the device pixel ratio, whether the page is hidden or has
//     focus;
//   - the styles Ebiten and the program set on the canvas, the body and the root
//     element (the cursor over a part; the canvas hidden while its first picture
//     is prepared), set here on the elements;
//   - the program's console, said in the page's;
//   - a lost WebGL context, its end and its crash, told as the page tells them
//     when the program runs on the main thread (loader.js).

const forwarded = ['mousedown', 'mouseup', 'mousemove', 'wheel', 'touchstart', 'touchend', 'touchmove', 'contextmenu', 'dragover', 'drop', 'blur'];
const focusing = { mousedown: true, touchstart: true }; // Ebiten focuses its canvas on these
const fields = ['type', 'button', 'buttons', 'clientX', 'clientY', 'movementX', 'movementY', 'deltaX', 'deltaY', 'deltaZ', 'deltaMode',
  'altKey', 'ctrlKey', 'metaKey', 'shiftKey', 'timeStamp'];

// inputOf copies what Ebiten reads of an input event.
function inputOf(e) {
  const d = {};
  for (const k of fields) if (e[k] !== undefined) d[k] = e[k];
  for (const k of ['targetTouches', 'changedTouches', 'touches']) {
    if (!e[k]) continue;
    d[k] = Array.from(e[k], (t) => ({ identifier: t.identifier, clientX: t.clientX, clientY: t.clientY, pageX: t.pageX, pageY: t.pageY }));
  }
  return d;
}

// canRunRemote reports whether this browser can hand a canvas to a worker.
export function canRunRemote(win = window) {
  return !!(win.HTMLCanvasElement && typeof win.HTMLCanvasElement.prototype.transferControlToOffscreen === 'function');
}

// startRemote makes the program's canvas, hands it to the worker (warm, from
// early.js) with the options and the content the bridge was given (bridge.start),
// and relays until the program ends. onEnd(kind, detail) is called once if it
// ends: 'exit' with its code, 'crash' with the reason, 'lost' for a lost context.
export function startRemote({ bridge, warm, contentText, onEnd, doc = document, win = window }) {
  const canvas = doc.createElement('canvas');
  // As Ebiten's: appended to the body, where canvas.js finds it and moves it into
  // the main landmark.
  doc.body.appendChild(canvas);
  const offscreen = canvas.transferControlToOffscreen();
  const size = () => ({
    width: doc.body.clientWidth,
    height: doc.body.clientHeight,
    dpr: win.devicePixelRatio || 1,
    screen: [win.screen ? win.screen.width : doc.body.clientWidth, win.screen ? win.screen.height : doc.body.clientHeight],
  });
  let memory = 0;
  let ended = false;
  const frames = new Map();
  let frameID = 0;
  const post = (m) => { if (!ended) warm.post(m); };
  const end = (kind, detail) => {
    if (ended) return;
    ended = true;
    onEnd(kind, detail);
  };
  const elements = { canvas, body: doc.body, html: doc.documentElement };
  const api = bridge.api;

  warm.listen((m) => {
    if (m.event) api.onEvent(m.event, m.e);
    if (typeof m.memory === 'number') memory = m.memory;
    if ('idle' in m) api.idle(m.idle);
    if (m.style) {
      const [who, prop, value] = m.style;
      const el = elements[who];
      if (!el) return;
      if (value === null) el.style.removeProperty(prop);
      else if (prop.includes('-')) el.style.setProperty(prop, value);
      else el.style[prop] = value;
    }
    if (m.console) {
      const [level, args] = m.console;
      (console[level] || console.log).apply(console, args);
    }
    if (m.connected) {
      api.command = (...args) => { post({ cmd: args }); return true; };
      api.connected(); // sends what the page queued for the program
      post({ synced: true }); // the program's first picture waits for it
    }
    if (m.frames !== undefined && frames.has(m.id)) {
      frames.get(m.id)(m.frames);
      frames.delete(m.id);
    }
    if (m.lost) end('lost');
    if (m.exit !== undefined) end('exit', m.exit);
    if (m.crash !== undefined) end('crash', m.crash);
  });

  for (const type of forwarded) {
    canvas.addEventListener(type, (e) => {
      if (focusing[type]) canvas.focus();
      if (type !== 'blur') e.preventDefault();
      post({ input: inputOf(e) });
    }, { passive: false });
  }
  win.addEventListener('resize', () => post({ resize: size() }));
  doc.addEventListener('visibilitychange', () => post({ hidden: doc.hidden }));
  win.addEventListener('focus', () => post({ focused: doc.hasFocus() }));
  win.addEventListener('blur', () => post({ focused: doc.hasFocus() }));

  const s = size();
  warm.post({
    run: {
      canvas: offscreen, ...s, hidden: doc.hidden, focused: doc.hasFocus(),
      options: api.options, content: contentText,
    },
  }, [offscreen]);

  return {
    // memory is the size of the program's memory, as the worker last sent it.
    memory: () => memory,
    // countFrames resolves with the program's frames per second over ms (its
    // animation frames are the worker's, not the page's).
    countFrames(ms) {
      return new Promise((resolve) => {
        const id = ++frameID;
        frames.set(id, resolve);
        post({ countFrames: ms, id });
      });
    },
  };
}
