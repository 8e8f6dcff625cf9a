// While the diagram is at rest (paused, nothing to draw), the program's requests
// for animation frames are held back, so that the browser stops producing frames
// for it: an idle or paused diagram costs next to nothing. Any command, pointer
// movement or resize releases them, and a slow heartbeat keeps the loop alive
// whatever happens. The page's own work uses frame(), which is never held.
// onIdle hears each change (the app's data-resting says it, for tests and styles).

// holdFrames holds requests for animation frames (through native) back while
// resting, until release() or a heartbeat of 500 ms lets them through; wrap(cb) is
// what is asked for in cb's place. The page's rest (below) and the program's in
// the worker (assets/warm.js) share it.
export function holdFrames(native, wrap = (cb) => cb) {
  let held = [];
  let timer = 0;
  let resting = false;
  const release = () => {
    clearTimeout(timer);
    timer = 0;
    const cbs = held;
    held = [];
    for (const cb of cbs) native(cb);
  };
  return {
    request(cb) {
      if (!resting) return native(wrap(cb));
      held.push(wrap(cb));
      if (!timer) timer = setTimeout(release, 500);
      return 0;
    },
    release,
    rest(on) {
      resting = !!on;
      if (!resting) release();
    },
    resting: () => resting,
  };
}

export function createRest(win = window, onIdle = () => {}) {
  const native = win.requestAnimationFrame ? win.requestAnimationFrame.bind(win) : null;
  const frames = native ? holdFrames(native) : null;
  if (frames) win.requestAnimationFrame = frames.request;
  const release = () => { if (frames) frames.release(); };
  for (const type of ['pointermove', 'pointerdown', 'wheel', 'resize']) {
    win.addEventListener(type, () => { if (frames && frames.resting()) release(); }, { passive: true, capture: true });
  }
  return {
    // idle is called by the program: on, it is at rest.
    idle(on) {
      const was = frames ? frames.resting() : false;
      if (was !== !!on) onIdle(!!on);
      if (frames) frames.rest(on);
    },
    release,
    resting: () => (frames ? frames.resting() : false),
    // frame runs cb at the next frame (at once where there are no frames).
    frame: (cb) => (native ? native(cb) : (cb(), 0)),
  };
}
