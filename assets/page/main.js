// The page's entry point: it reads the manifest and the address, makes the store,
// and starts each part of the page around it. Every part gets the same core
// ({store, actions, facts, ...}), calls the actions and follows the store; none
// holds another, except the keys' use of full screen (which must be asked for
// within the key's own event).
//
//   facts, options, steps, words   what is known: the manifest's facts, the
//                                  address, the step rules, the words
//   store, state                   the page's state and its only writer
//   bridge, rest, stage, canvas    the program: commands, events, frames, the
//                                  stage's place, the engine's canvas
//   placeholder                    the build's picture, explorable until the canvas
//                                  takes over
//   labels, panel, description     views of the picture's parts
//   controls, menu, dialogs, keys, fullscreen, export, print, embed, explore,
//                                  visibility
//   host, announce, address        the host page, the live region, the address
//   livegate                       the live classroom's door: what live offers,
//                                  and its chunk (liveclass: live, liveproto,
//                                  livepanel, join) loaded when asked for
//   progress, errors, language, loader, early   the start (early: the words, the
//                                  content, the worker that downloads the program)

import { readManifest, createFacts } from './facts.js';
import { parseOptions, chooseLanguage } from './options.js';
import { createPageStore } from './state.js';
import { watch } from './store.js';
import { recall } from './dom.js';
import { applyWords } from './words.js';
import { createRest } from './rest.js';
import { createBridge } from './bridge.js';
import { createStage } from './stage.js';
import { createCanvas } from './canvas.js';
import { createPlaceholder } from './placeholder.js';
import { createLabels } from './labels.js';
import { createPanel } from './panel.js';
import { createDescription } from './description.js';
import { createControls } from './controls.js';
import { createMenu } from './menu.js';
import { createDialogs } from './dialogs.js';
import { createFullscreen } from './fullscreen.js';
import { createKeys } from './keys.js';
import { createExport } from './export.js';
import { createPrint } from './print.js';
import { qrSVG } from './qr.js';
import { createEmbed } from './embed.js';
import { createExplore } from './explore.js';
import { createVisibility } from './visibility.js';
import { createHost } from './host.js';
import { createAnnouncements } from './announce.js';
import { createAddress } from './address.js';
import { createProgress } from './progress.js';
import { createErrors } from './errors.js';
import { createLanguage } from './language.js';
import { startDiagram } from './loader.js';
import { startEarly } from './early.js';
import { createLiveGate, chunkLoader } from './livegate.js';

function main() {
  const facts = createFacts(readManifest());
  const opts = parseOptions(location.search, facts);
  // First what a cold load waits for longest: the content, and the worker that
  // downloads and compiles the program (early.js).
  const early = startEarly(facts, chooseLanguage(opts, navigator, facts.languages));
  const mq = window.matchMedia ? matchMedia('(prefers-reduced-motion: reduce)') : null;
  const { store, actions } = createPageStore(opts, facts, {
    prefersReducedMotion: !!(mq && mq.matches),
    singleKeys: recall('singleKeys') !== 'off',
  });
  // Follow the system's reduced-motion setting while the address does not fix it.
  if (mq && mq.addEventListener) mq.addEventListener('change', () => actions.systemMotion(mq.matches));

  const app = document.getElementById('app');
  const rest = createRest(window, (on) => { app.dataset.resting = on ? 'true' : 'false'; });
  const bridge = createBridge({ store, actions, rest });
  const core = { store, actions, facts, rest, bridge };

  watch(store, (s) => s.words, (w) => { if (w) applyWords(document, w); });
  createErrors(core);
  createProgress(core);
  createStage(core);
  createCanvas(core);
  createPlaceholder(core);
  createLabels(core);
  createPanel(core);
  createDescription(core);
  createControls(core);
  createMenu(core);
  createDialogs(core);
  const fullscreen = createFullscreen(core);
  createKeys({ ...core, fullscreen });
  const exporter = createExport(core);
  createPrint({ ...core, qr: qrSVG });
  createEmbed(core);
  createExplore(core);
  createVisibility(core);
  createHost(core);
  const announcer = createAnnouncements(core);
  createAddress(core);
  // The live classroom: its controls from the start, its code (a chunk of its own)
  // only when it is asked for.
  createLiveGate({
    ...core,
    load: chunkLoader(facts.manifest),
    start: (m) => m.startClassroom({ ...core, announcer, qr: qrSVG, fetchInfo: async () => store.getState().live.info }),
  });
  const language = createLanguage(core);

  // For the test suite and host pages: the export, and the program's memory.
  bridge.api.exportSVG = exporter.svg;

  startDiagram({ ...core, language, early });
}

main();
