/** The k most probable classes, most probable first (ties keep class order). */
export function topClasses(classes: readonly string[], probabilities: readonly number[], k = 3): { label: string; index: number; p: number }[] {
  return probabilities
    .map((p, index) => ({ label: classes[index] ?? String(index), index, p }))
    .sort((a, b) => b.p - a.p || a.index - b.index)
    .slice(0, k);
}
