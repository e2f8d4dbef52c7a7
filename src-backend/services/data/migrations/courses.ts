import type { Migration } from '../db/migration.js';

export const courseMigrations: readonly Migration[] = [];
