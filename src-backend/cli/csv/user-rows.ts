export type ImportUserType = 'student' | 'teacher';

/** One good row from the file, with the line it starts on for every later report. */
export interface CsvUserRow {
  readonly line: number;
  readonly username: string;
  readonly name: string;
  readonly email: string;
  /** students only */
  readonly group?: string;
  /** absent when the server is to generate one (--generate-passwords) */
  readonly password?: string;
}

export interface CsvBadRow {
  readonly line: number;
  readonly username: string;
  readonly problem: string;
}

export interface ParsedUsersCsv {
  readonly rows: readonly CsvUserRow[];
  readonly bad: readonly CsvBadRow[];
}

export const REQUIRED_COLUMNS: Readonly<Record<ImportUserType, readonly string[]>> = {
  student: ['username', 'name', 'email', 'group'],
  teacher: ['username', 'name', 'email'],
};
export const OPTIONAL_COLUMNS: readonly string[] = ['password'];
