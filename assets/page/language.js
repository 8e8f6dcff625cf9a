// Languages: the words of the chosen one are fetched into the store, which every
// view follows; switching on the page needs no reload and keeps the program running.

import { $ } from './dom.js';
import { fetchText } from './early.js';

export function createLanguage({ store, actions, facts }) {
  // load sets the words of code; text is its file's text when already asked for.
  const load = (code, text) => (text || fetchText(facts.manifest.lang[code])).then((s) => actions.setWords(code, JSON.parse(s)));
  $('lang').addEventListener('change', () => {
    const code = $('lang').value;
    load(code).catch((err) => {
      console.error('diagram: language ' + code + ' could not be loaded:', err);
      $('lang').value = store.getState().lang;
    });
  });
  return { load };
}
