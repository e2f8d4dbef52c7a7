import type { Database, Statement } from 'better-sqlite3';
import type { ChatMessage } from '../../../contracts/realtime.js';

interface ChatRow {
  id: number;
  sender_id: number;
  receiver_id: number;
  body: string;
  created_at: string;
  read_at: string | null;
}

const toMessage = (r: ChatRow): ChatMessage => ({
  id: r.id,
  senderId: r.sender_id,
  receiverId: r.receiver_id,
  message: r.body,
  createdAt: r.created_at,
  readAt: r.read_at,
});

/** Chat persistence: the statements are prepared once, writes are IMMEDIATE transactions. */
export class ChatRepo {
  private readonly insert: Statement;
  private readonly byId: Statement;
  private readonly history: Statement;
  private readonly unreadFrom: Statement;
  private readonly markRead: Statement;

  constructor(private readonly db: Database) {
    this.insert = db.prepare('INSERT INTO chat_messages (sender_id, receiver_id, body) VALUES (?, ?, ?)');
    this.byId = db.prepare('SELECT * FROM chat_messages WHERE id = ?');
    this.history = db.prepare(`
      SELECT * FROM chat_messages
      WHERE ((sender_id = @a AND receiver_id = @b) OR (sender_id = @b AND receiver_id = @a)) AND id < @before
      ORDER BY id DESC LIMIT @limit`);
    this.unreadFrom = db.prepare(
      'SELECT id FROM chat_messages WHERE receiver_id = ? AND sender_id = ? AND read_at IS NULL AND id <= ? ORDER BY id',
    );
    this.markRead = db.prepare('UPDATE chat_messages SET read_at = ? WHERE id = ?');
  }

  create(senderId: number, receiverId: number, body: string): ChatMessage {
    return this.db
      .transaction(() => {
        const { lastInsertRowid } = this.insert.run(senderId, receiverId, body);
        return toMessage(this.byId.get(lastInsertRowid) as ChatRow);
      })
      .immediate();
  }

  conversation(userId: number, otherId: number, beforeId: number | undefined, limit: number): ChatMessage[] {
    const rows = this.history.all({
      a: userId,
      b: otherId,
      before: beforeId ?? Number.MAX_SAFE_INTEGER,
      limit,
    }) as ChatRow[];
    return rows.map(toMessage);
  }

  /** Mark what `senderId` sent `readerId` as read; returns the ids that changed. */
  read(readerId: number, senderId: number, upToId: number | undefined): { messageIds: number[]; readAt: string } {
    const readAt = new Date().toISOString();
    const messageIds = this.db
      .transaction(() => {
        const ids = this.unreadFrom.pluck().all(readerId, senderId, upToId ?? Number.MAX_SAFE_INTEGER) as number[];
        for (const id of ids) this.markRead.run(readAt, id);
        return ids;
      })
      .immediate();
    return { messageIds, readAt };
  }
}
