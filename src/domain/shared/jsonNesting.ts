/**
 * Levels of nesting a run message may have. Port's own payloads use a handful; schema validation
 * recurses once per level, so a deeper document (thousands of `[`) would overflow the stack.
 */
export const MAX_JSON_NESTING_DEPTH = 64;

/**
 * True when `value` (parsed JSON) nests arrays or objects deeper than `limit` levels (`{}` is one
 * level). Iterative, so it cannot overflow the stack itself; stops at the first branch too deep.
 */
export function exceedsJsonNesting(value: unknown, limit: number = MAX_JSON_NESTING_DEPTH): boolean {
  const stack: Array<{ readonly value: unknown; readonly depth: number }> = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    const level = depth + 1;
    if (level > limit) return true;
    const children: unknown[] = Array.isArray(current) ? current : Object.values(current);
    for (const child of children) {
      if (typeof child === 'object' && child !== null) stack.push({ value: child, depth: level });
    }
  }
  return false;
}
