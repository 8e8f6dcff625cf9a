// The page's state and the verbs that change it. The store (store.js) is its only
// writer and these actions its only callers: controls, keys, host-page messages and
// the program's events all come here, and views, the host API and the bridge to
// the program subscribe to the store.
//
// State:
//   step, presenting   the guided steps (outside the presentation: the last step)
//   selection, hover   targets (facts.js): a part, or one of its members
//   focus              the part keyboard focus highlights ('' for none)
//   playing, speed, profile, reducedMotion, visible   motion and colours
//   lang, words        the language and its words (null until loaded)
//   content            diagram.json, parsed (null until loaded)
//   phase              'loading' | 'ready' (first frame drawn) | 'error'
//   error              null | {kind, detail, retry}
//   progress           0..100, the program's download
//   connected          the program takes commands
//   stage              the picture's rectangle in CSS pixels (null until measured)
//   anchors            null | {list, scale}: where the program puts the labels
//   embed, active      embedded; explored (an embedded diagram takes no keys before)
//   fullscreen, filling   full screen, or filling the frame where it is not allowed
//   singleKeys         single-letter shortcuts on (WCAG 2.1.4)
//   menu, sheet, dialog   the More menu open; the text description open; the open
//                      dialog ('' | 'help' | 'embed')

import { createStore } from './store.js';
import { noTarget, target, sameTarget } from './facts.js';
import * as steps from './steps.js';
import { emptySession } from './liveproto.js';

function initialState(opts, facts, env) {
  const reduced = opts.motion ? opts.motion === 'reduce' : !!env.prefersReducedMotion;
  return {
    step: opts.present ? opts.step : facts.steps,
    presenting: !!opts.present,
    selection: noTarget,
    hover: noTarget,
    focus: '',
    playing: !(opts.paused || reduced),
    speed: opts.speed,
    profile: opts.colorProfile,
    reducedMotion: reduced,
    motionFixed: !!opts.motion, // the address chose, so the system's setting is not followed
    visible: true,
    lang: '',
    words: null,
    content: null,
    phase: 'loading',
    error: null,
    progress: 0,
    connected: false,
    stage: null,
    anchors: null,
    embed: !!opts.embed,
    active: !opts.embed,
    fullscreen: false,
    filling: false,
    singleKeys: env.singleKeys !== false,
    menu: false,
    sheet: false,
    dialog: '',
    live: { available: null, info: null, role: '', status: 'off', problem: '', follow: true, panel: true, notice: null, session: emptySession },
    seats: { seats: [], overflow: 0, capacity: 0 },
  };
}

export function createPageStore(opts, facts, env) {
  const store = createStore(initialState(opts, facts, env));
  return { store, actions: createActions(store, facts) };
}

function createActions(store, facts) {
  const { getState, setState } = store;
  const total = () => facts.steps;

  // A step change drops a selection the new step does not show, in the same change,
  // so that it is announced and posted as one.
  const setStep = (s) => setState((st) => {
    if (s.step === st.step && s.presenting === st.presenting) return null;
    const keep = steps.shows(facts, s, st.selection.part);
    return { step: s.step, presenting: s.presenting, selection: keep ? st.selection : noTarget };
  });
  // A target equal to the one held is not a change: the same object stays.
  const setTarget = (key, t) => setState((st) => (sameTarget(st[key], t) ? null : { [key]: t }));

  return {
    next: () => setStep(steps.next(getState(), total())),
    prev: () => setStep(steps.prev(getState())),
    first: () => setStep(steps.first()),
    last: () => setStep(steps.last(getState(), total())),
    // goto takes a checked step (see steps.isStep).
    goto: (n) => setStep(steps.goto(n)),
    // setStepState goes to a step as the live room has it (checked here: the room
    // may come from another version of the site).
    setStepState: (step, presenting) => {
      if (!presenting) setStep({ step: total(), presenting: false });
      else if (step >= 1 && step <= total()) setStep({ step, presenting: true });
    },
    togglePresent: () => setStep(steps.togglePresent(getState(), total())),

    // select selects a part ('' clears); selected and hovered take the program's
    // reports of what was clicked or is under the pointer.
    select: (part) => setTarget('selection', part ? target({ part }) : noTarget),
    selected: (t) => setTarget('selection', target(t)),
    hovered: (t) => setTarget('hover', target(t)),
    setFocus: (part) => setState({ focus: part || '' }),

    setPlaying: (on) => setState({ playing: !!on }),
    togglePlaying: () => setState((st) => ({ playing: !st.playing })),
    setSpeed: (speed) => setState({ speed }),
    setProfile: (profile) => setState({ profile }),
    // The system's reduced-motion setting, followed unless the address fixed motion;
    // turning it on pauses.
    systemMotion: (reduce) => setState((st) => (st.motionFixed ? null
      : { reducedMotion: reduce, playing: reduce ? false : st.playing })),
    setVisible: (visible) => setState({ visible }),
    setFullscreen: (fullscreen) => setState({ fullscreen }),
    setFilling: (filling) => setState({ filling }),
    setSingleKeys: (singleKeys) => setState({ singleKeys }),
    activate: () => setState({ active: true }),
    // Opening the description or a dialog closes the menu.
    setMenu: (menu) => setState({ menu }),
    setSheet: (sheet) => setState(sheet ? { sheet, menu: false } : { sheet }),
    openDialog: (dialog) => setState({ dialog, menu: false }),
    closeDialog: () => setState({ dialog: '' }),

    // setLive merges into the live classroom's state; a patch that changes
    // nothing is no change.
    setLive: (patch) => setState((st) => {
      for (const k in patch) if (!Object.is(patch[k], st.live[k])) return { live: Object.assign({}, st.live, patch) };
      return null;
    }),
    setSeats: (e) => setState({ seats: { seats: Array.isArray(e.seats) ? e.seats : [], overflow: e.overflow | 0, capacity: e.capacity | 0 } }),

    setWords: (lang, words) => setState({ lang, words }),
    setContent: (content) => setState({ content }),
    setProgress: (progress) => setState({ progress }),
    setStage: (stage) => setState((st) => (st.stage && st.stage.x === stage.x && st.stage.y === stage.y &&
      st.stage.width === stage.width && st.stage.height === stage.height ? null : { stage })),
    setAnchors: (list, scale) => setState({ anchors: { list, scale } }),
    connected: () => setState({ connected: true }),
    ready: () => setState((st) => (st.phase === 'loading' ? { phase: 'ready' } : null)),
    // fail shows an error instead of the diagram: kind names the message (see
    // errors.js), detail is the reason, retry offers a reload.
    fail: (kind, detail, retry) => setState({ phase: 'error', error: { kind, detail: detail || '', retry: !!retry } }),
  };
}
