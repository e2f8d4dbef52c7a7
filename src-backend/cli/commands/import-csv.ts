import { Option, type Command } from 'commander';
import type { CliContext } from '../context.js';
import { USER_TYPES, examples } from './help-text.js';
import type { ImportOptions } from '../actions/import-csv.js';
import type { ImportCoursesOptions } from '../actions/import-courses.js';

export function registerImport(program: Command, ctx: CliContext): void {
  const imp = program.command('import').description('bulk operations from files');
  imp.addHelpText(
    'after',
    examples(
      'course-cli import csv users.csv --user-type student --generate-passwords --output results.csv',
      'course-cli import courses courses.csv --dry-run',
    ),
  );
  imp
    .command('csv')
    .description('create students or teachers from a CSV file (header row: username,name,email[,group][,password])')
    .argument('<file>', 'UTF-8 CSV, with or without BOM, LF or CRLF')
    .addOption(new Option('--user-type <type>', 'what every row creates').choices(USER_TYPES).makeOptionMandatory())
    .option('--generate-passwords', 'generate a password for rows whose password cell is empty (needs --output)')
    .option(
      '--output <file>',
      'write username, generated password, 2FA secret, otpauth URI and status per row (mode 0600)',
    )
    .option('--atomic', "all or nothing: any bad row imports nothing (at most 10,000 rows, auth_node's bulk limit)")
    .addHelpText(
      'after',
      examples(
        'course-cli import csv users.csv --user-type student',
        'course-cli import csv users.csv --user-type student --generate-passwords --output results.csv',
        'course-cli import csv staff.csv --user-type teacher --atomic --output staff-results.csv',
      ) +
        '\nA bad row is reported with its line number and skipped; the good rows are still imported\n' +
        '(unless --atomic). Exit status is 1 when any row was not imported.\n',
    )
    .action(async (file: string, opts: ImportOptions) =>
      (await import('../actions/import-csv.js')).importCsv(ctx, file, opts),
    );
  imp
    .command('courses')
    .description(
      'create courses from a CSV file (header row: code,name,capacity,credits,slots[,location][,description][,allowed_groups][,teacher])',
    )
    .argument('<file>', 'UTF-8 CSV, with or without BOM, LF or CRLF')
    .option('--dry-run', 'check every row against the server and say what would happen; write nothing')
    .option('--atomic', 'all or nothing: any bad row imports nothing (one transaction)')
    .addHelpText(
      'after',
      examples('course-cli import courses courses.csv --dry-run', 'course-cli import courses courses.csv --atomic') +
        '\nSlots are written like "Mon 09:00-10:30; Wed 09:00-10:30"; allowed_groups like "cs-2024; math-2024";\n' +
        "teacher is a teacher's username. A bad row is reported with the line its bad field starts on and\n" +
        'skipped (unless --atomic). Exit status is 1 when any row was not (or would not be) imported.\n',
    )
    .action(async (file: string, opts: ImportCoursesOptions) =>
      (await import('../actions/import-courses.js')).importCourses(ctx, file, opts),
    );
}
