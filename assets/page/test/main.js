// The tests of the page's modules, bundled by the Go test and run in Chromium.

import { run } from './runner.js';
import './store.test.js';
import './options.test.js';
import './steps.test.js';
import './state.test.js';
import './words.test.js';
import './host.test.js';
import './bridge.test.js';
import './announce.test.js';
import './misc.test.js';
import './print.test.js';
import './qr.test.js';
import './live.test.js';

run();
