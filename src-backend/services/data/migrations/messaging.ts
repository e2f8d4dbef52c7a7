import type { Migration } from '../db/migration.js';

export const messagingMigrations: readonly Migration[] = [];
