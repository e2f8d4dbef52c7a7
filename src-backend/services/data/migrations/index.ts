import type { Migration } from '../db/migration.js';
import { identityMigrations } from './identity.js';
import { courseMigrations } from './courses.js';
import { courseIdMigrations } from './course-ids.js';
import { messagingMigrations } from './messaging.js';

/**
 * All migrations in id order. Each domain keeps its own range so parallel work never
 * collides: identity 100-199, courses 200-299, messaging 300-399.
 */
export const migrations: readonly Migration[] = [
  ...identityMigrations,
  ...courseMigrations,
  ...courseIdMigrations,
  ...messagingMigrations,
].sort((a, b) => a.id - b.id);
