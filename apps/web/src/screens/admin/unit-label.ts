/** A unit as admins read it in lists: its name with its code, or the code alone when the units list does not know it. */
export function unitLabel(name: string | null, code: string): string {
  return name === null ? code : `${name} (${code})`;
}
