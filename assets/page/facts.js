// The facts the model owns (the steps, the parts, the address's options, the
// frame's shape, the members of the picture), as the build wrote them into the
// page's manifest from Go. Nothing here is a second copy: a page without them
// knows no steps and no parts.

export function readManifest(doc = document) {
  try {
    return JSON.parse(doc.getElementById('manifest').textContent) || {};
  } catch (e) {
    return {};
  }
}

export function createFacts(manifest) {
  const m = manifest || {};
  const parts = Array.isArray(m.parts) ? m.parts : [];
  const options = Array.isArray(m.options) ? m.options : [];
  return {
    manifest: m,
    steps: m.steps > 0 ? m.steps : 0,
    parts: parts.map((p) => p.id),
    part: (id) => parts.find((p) => p.id === id) || null,
    options,
    option: (name) => options.find((o) => o.name === name) || null,
    aspectRatio: m.aspectRatio > 0 ? m.aspectRatio : 0,
    members: Array.isArray(m.members) ? m.members : [],
    languages: Object.keys(m.lang || {}).sort(),
  };
}

// A target is what is selected or hovered: a part, or one of its members.
export const noTarget = Object.freeze({ part: '', person: -1, ring: '', kind: '', role: 0 });

export function target(t) {
  if (!t || !t.part) return noTarget;
  const part = String(t.part);
  if (!(t.person >= 0)) return { part, person: -1, ring: '', kind: '', role: 0 };
  // The program's events name the kind from its version with resources on; before,
  // every member was a person.
  return { part, person: t.person | 0, ring: String(t.ring || part), kind: String(t.kind || 'person'), role: t.role | 0 };
}

export function sameTarget(a, b) {
  return a === b || (!!a && !!b && a.part === b.part && a.person === b.person && a.ring === b.ring && a.kind === b.kind && a.role === b.role);
}
