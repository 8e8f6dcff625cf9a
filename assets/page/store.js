// The store: the page's state in one place, and its only writer (after zustand's
// vanilla store). setState merges a partial state (or the result of a function of
// the state) and skips a change that changes nothing, so that each change is seen,
// drawn, announced and posted once. Listeners get (state, prev).

export function createStore(initial) {
  let state = initial;
  const listeners = new Set();
  const getState = () => state;
  const setState = (partial) => {
    const next = typeof partial === 'function' ? partial(state) : partial;
    if (next == null || Object.is(next, state)) return;
    let changed = false;
    for (const k in next) {
      if (!Object.is(next[k], state[k])) { changed = true; break; }
    }
    if (!changed) return;
    const prev = state;
    state = Object.assign({}, state, next);
    listeners.forEach((l) => l(state, prev));
  };
  const subscribe = (listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
  return { getState, setState, subscribe };
}

// watch calls fn(value, prevValue) whenever pick(state) changes (by Object.is, or
// by equal when given), and once at once with the current value when init is set.
// It returns the unsubscribe function.
export function watch(store, pick, fn, { equal = Object.is, init = false } = {}) {
  if (init) fn(pick(store.getState()), undefined);
  return store.subscribe((state, prev) => {
    const a = pick(state), b = pick(prev);
    if (!equal(a, b)) fn(a, b);
  });
}
