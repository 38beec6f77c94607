/** One stream per framework id; every version lives in it (persisted name: never change). */
export function frameworkStreamName(frameworkId: string): string {
  return `framework-${frameworkId}`;
}
