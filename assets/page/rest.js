// While the diagram is at rest (paused, nothing to draw), the program's requests
// for animation frames are held back, so that the browser stops producing frames
// for it: an idle or paused diagram costs next to nothing. Any command, pointer
// movement or resize releases them, and a slow heartbeat keeps the loop alive
// whatever happens. The page's own work uses frame(), which is never held.
// onIdle hears each change (the app's data-resting says it, for tests and styles).

export function createRest(win = window, onIdle = () => {}) {
  const native = win.requestAnimationFrame ? win.requestAnimationFrame.bind(win) : null;
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
  if (native) {
    win.requestAnimationFrame = (cb) => {
      if (!resting) return native(cb);
      held.push(cb);
      if (!timer) timer = setTimeout(release, 500);
      return 0;
    };
  }
  for (const type of ['pointermove', 'pointerdown', 'wheel', 'resize']) {
    win.addEventListener(type, () => { if (resting) release(); }, { passive: true, capture: true });
  }
  return {
    // idle is called by the program: on, it is at rest.
    idle(on) {
      if (resting !== !!on) onIdle(!!on);
      resting = !!on;
      if (!resting) release();
    },
    release,
    resting: () => resting,
    // frame runs cb at the next frame (at once where there are no frames).
    frame: (cb) => (native ? native(cb) : (cb(), 0)),
  };
}
