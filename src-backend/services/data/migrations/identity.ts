import type { Migration } from '../db/migration.js';

export const identityMigrations: readonly Migration[] = [];
