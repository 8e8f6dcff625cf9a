// The page's first script, async in its head: it asks for the words, the content
// and the program (early.js) as soon as the head is read, while the rest of the
// page is still being parsed and long before the page's own script (app.js, which
// runs after parsing) would.

import { startEarly } from './early.js';

startEarly(window);
