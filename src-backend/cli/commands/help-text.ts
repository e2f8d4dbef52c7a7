/** The "Examples:" block every command's --help ends with. */
export function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

export const USER_TYPES = ['student', 'teacher'] as const;
export const LIST_USER_TYPES = ['student', 'teacher', 'admin'] as const;
