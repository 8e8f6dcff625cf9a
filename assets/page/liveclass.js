// The live classroom's own code, a chunk of its own: the build bundles this entry
// (live.js, liveproto.js, livepanel.js, join.js) apart from the page's script,
// and livegate.js imports it only when live is asked for. It is given everything
// it needs of the page (the store, the actions, the bridge, the announcer, the QR
// encoder the handout uses too); it holds no state of the page of its own.

import { createLive } from './live.js';
import { createLivePanel } from './livepanel.js';
import { createJoin } from './join.js';

// startClassroom starts the connection (which acts on the address: a join code,
// a presenter's fragment), the presenter's panel and the student's card.
export function startClassroom(core) {
  const live = createLive(core);
  createLivePanel({ ...core, live });
  createJoin({ ...core, live }).setAnnouncer(core.announcer);
  return { live };
}
