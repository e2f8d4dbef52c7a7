import type { Migration } from '../db/migration.js';

/**
 * Chat messages and notifications for the realtime server. No foreign keys to the users table: identity owns
 * it, and a message must not block deleting a user; the realtime server only stores ids it
 * took from a resolved session or a validated request.
 */
export const messagingMigrations: readonly Migration[] = [
  {
    id: 300,
    name: 'chat-messages',
    up(db) {
      db.exec(`
        CREATE TABLE chat_messages (
          id INTEGER PRIMARY KEY,
          sender_id INTEGER NOT NULL,
          receiver_id INTEGER NOT NULL,
          body TEXT NOT NULL,
          created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
          read_at TEXT
        );
        -- a conversation in both directions, newest first
        CREATE INDEX chat_messages_pair ON chat_messages (sender_id, receiver_id, id);
        CREATE INDEX chat_messages_unread ON chat_messages (receiver_id, sender_id) WHERE read_at IS NULL;
      `);
    },
  },
  {
    id: 301,
    name: 'notifications',
    up(db) {
      db.exec(`
        CREATE TABLE notifications (
          id INTEGER PRIMARY KEY,
          recipient_id INTEGER,            -- NULL: a broadcast
          sender_id INTEGER,
          audience_role TEXT,              -- broadcasts only: NULL = every role
          audience_group TEXT,             -- broadcasts only: NULL = every group
          type TEXT NOT NULL,
          title TEXT NOT NULL,
          message TEXT NOT NULL,
          metadata TEXT NOT NULL DEFAULT '{}',
          created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
        );
        CREATE INDEX notifications_recipient ON notifications (recipient_id, id);
        CREATE INDEX notifications_broadcast ON notifications (id) WHERE recipient_id IS NULL;
        -- one row per (notification, reader): a broadcast to 10,000 students is one row until read
        CREATE TABLE notification_reads (
          notification_id INTEGER NOT NULL REFERENCES notifications(id) ON DELETE CASCADE,
          user_id INTEGER NOT NULL,
          read_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
          PRIMARY KEY (user_id, notification_id)
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    id: 302,
    name: 'chat-messages-by-receiver',
    up(db) {
      // presence scopes ask "who wrote to this user" for every connecting user
      db.exec('CREATE INDEX chat_messages_receiver ON chat_messages (receiver_id, sender_id)');
    },
  },
];
