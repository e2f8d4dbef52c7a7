import type { Database, Statement } from 'better-sqlite3';
import type { Notification } from '../../../contracts/realtime.js';
import type { NotificationCreateRequest } from '../../../contracts/messaging.js';

export interface NotificationRow {
  id: number;
  recipient_id: number | null;
  sender_id: number | null;
  audience_role: string | null;
  audience_group: string | null;
  type: string;
  title: string;
  message: string;
  metadata: string;
  created_at: string;
  read: 0 | 1;
}

export interface Reader {
  readonly userId: number;
  readonly role: string;
  readonly group: string | null;
}

export const toNotification = (r: NotificationRow): Notification => ({
  id: r.id,
  recipientId: r.recipient_id,
  senderId: r.sender_id,
  audience: r.recipient_id === null ? { role: r.audience_role, groupId: r.audience_group } : null,
  type: r.type,
  title: r.title,
  message: r.message,
  metadata: JSON.parse(r.metadata) as Record<string, unknown>,
  read: r.read === 1,
  createdAt: r.created_at,
});

/** Which notifications a reader sees: their own, plus broadcasts to everyone, their role or their group. */
const VISIBLE = `(n.recipient_id = @userId OR (n.recipient_id IS NULL
  AND (n.audience_role IS NULL OR n.audience_role = @role)
  AND (n.audience_group IS NULL OR n.audience_group = @group)))`;
const UNREAD = 'NOT EXISTS (SELECT 1 FROM notification_reads r WHERE r.user_id = @userId AND r.notification_id = n.id)';

export class NotificationRepo {
  private readonly insert: Statement;
  private readonly byId: Statement;
  private readonly unread: Statement;
  private readonly unreadCount: Statement;
  private readonly markAll: Statement;
  private readonly markOne: Statement;

  constructor(private readonly db: Database) {
    this.insert = db.prepare(`INSERT INTO notifications
      (recipient_id, sender_id, audience_role, audience_group, type, title, message, metadata)
      VALUES (@recipientId, @senderId, @role, @groupId, @type, @title, @message, @metadata)`);
    this.byId = db.prepare('SELECT n.*, 0 AS read FROM notifications n WHERE n.id = ?');
    this.unread = db.prepare(
      `SELECT n.*, 0 AS read FROM notifications n WHERE ${VISIBLE} AND ${UNREAD} ORDER BY n.id DESC LIMIT @limit`,
    );
    this.unreadCount = db.prepare(`SELECT count(*) FROM notifications n WHERE ${VISIBLE} AND ${UNREAD}`);
    this.markAll = db.prepare(`INSERT OR IGNORE INTO notification_reads (notification_id, user_id)
      SELECT n.id, @userId FROM notifications n WHERE ${VISIBLE} AND ${UNREAD}`);
    this.markOne = db.prepare(`INSERT OR IGNORE INTO notification_reads (notification_id, user_id)
      SELECT n.id, @userId FROM notifications n WHERE n.id = @id AND ${VISIBLE}`);
  }

  /** Several at once in one transaction: a burst of notifications costs one commit, not one each. */
  createMany(requests: readonly NotificationCreateRequest[]): Notification[] {
    return this.db
      .transaction(() =>
        requests.map((req) => {
          const broadcast = req.recipientId === undefined;
          const { lastInsertRowid } = this.insert.run({
            recipientId: req.recipientId ?? null,
            senderId: req.senderId,
            role: broadcast ? (req.role ?? null) : null,
            groupId: broadcast ? (req.groupId ?? null) : null,
            type: req.type,
            title: req.title,
            message: req.message,
            metadata: JSON.stringify(req.metadata ?? {}),
          });
          return toNotification(this.byId.get(lastInsertRowid) as NotificationRow);
        }),
      )
      .immediate();
  }

  listUnread(reader: Reader, limit: number): Notification[] {
    return (this.unread.all({ ...reader, limit }) as NotificationRow[]).map(toNotification);
  }

  countUnread(reader: Reader): number {
    return this.unreadCount.pluck().get(reader) as number;
  }

  markRead(reader: Reader, ids: readonly number[] | undefined): number {
    return this.db
      .transaction(() => {
        if (!ids) return this.markAll.run(reader).changes;
        let changed = 0;
        for (const id of ids) changed += this.markOne.run({ ...reader, id }).changes;
        return changed;
      })
      .immediate();
  }
}
