/**
 * Message templates: `{name}` is replaced by a parameter; `{n|row|rows}` picks the singular when
 * the parameter n is 1 (Chinese templates simply do not use it). Plain functions, unit-tested.
 */

export type Params = Record<string, string | number>;

/** Fills a template's placeholders; an unknown placeholder stays visible (so a missing parameter is noticed). */
export function interpolate(template: string, params: Params = {}): string {
  return template.replace(/\{(\w+)(?:\|([^|}]*)\|([^}]*))?\}/g, (whole, name: string, one?: string, many?: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    if (one !== undefined && many !== undefined) return Number(value) === 1 ? one : many;
    return String(value);
  });
}

/** The placeholder names a template uses, sorted (the catalogue test compares them across languages). */
export function placeholders(template: string): string[] {
  const names = new Set<string>();
  for (const m of template.matchAll(/\{(\w+)(?:\|[^}]*)?\}/g)) names.add(m[1]);
  return [...names].sort();
}
