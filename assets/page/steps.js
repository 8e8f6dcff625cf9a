// The rules of the guided steps, over {step, presenting}. Outside the presentation
// the picture is whole, which is the last step. A step number from outside (the
// address, a host page) is checked with isStep and refused when it is not one:
// nothing here guesses a step from a bad number.

export const isStep = (n, total) => Number.isInteger(n) && n >= 1 && n <= total;

export function next(s, total) {
  if (!s.presenting) return { presenting: true, step: 1 };
  return { presenting: true, step: Math.min(total, s.step + 1) };
}

export function prev(s) {
  if (!s.presenting) return { presenting: false, step: s.step };
  return { presenting: true, step: Math.max(1, s.step - 1) };
}

export const first = () => ({ presenting: true, step: 1 });
export const last = (s, total) => ({ presenting: true, step: total });
export const goto = (n) => ({ presenting: true, step: n });

export function togglePresent(s, total) {
  return s.presenting ? { presenting: false, step: total } : { presenting: true, step: 1 };
}

// shows reports whether a step shows a part: a selection of a part the new step
// does not show is dropped, as the model drops it.
export function shows(facts, s, part) {
  if (!part || !s.presenting) return true;
  const p = facts.part(part);
  return !p || !Array.isArray(p.steps) || p.steps.indexOf(s.step) >= 0;
}
