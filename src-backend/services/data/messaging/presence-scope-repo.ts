import type { Database, Statement } from 'better-sqlite3';
import type { PresenceScope } from '../../../contracts/messaging.js';

/** Whom a user shares a course or a conversation with (see PresenceScopeRequest). */
export class PresenceScopeRepo {
  private readonly courses: Statement;
  private readonly partners: Statement;

  constructor(db: Database) {
    this.courses = db
      .prepare(
        `SELECT course_id AS id FROM enrollments WHERE student_id = @id
         UNION SELECT id FROM courses WHERE teacher_id = @id`,
      )
      .pluck();
    this.partners = db
      .prepare(
        `SELECT receiver_id FROM chat_messages WHERE sender_id = @id
         UNION SELECT sender_id FROM chat_messages WHERE receiver_id = @id`,
      )
      .pluck();
  }

  scopes(userIds: readonly number[]): PresenceScope[] {
    return userIds.map((id) => ({
      userId: id,
      courseIds: this.courses.all({ id }) as number[],
      partnerIds: this.partners.all({ id }) as number[],
    }));
  }
}
