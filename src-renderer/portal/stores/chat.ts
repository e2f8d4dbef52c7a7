import { acceptHMRUpdate, defineStore } from 'pinia';
import { computed, reactive, ref } from 'vue';
import type { ChatMessage, ChatReadReceipt, ChatTypingEvent, PresenceEvent } from '@contracts/realtime';
import { useAccountStore } from './account';
import { ask } from './inbox';
import { useLiveStore } from './live';

export interface Contact {
  readonly id: number;
  readonly name: string;
  /** why they are a contact: "teaches ALG", "in ALG" */
  readonly about: string;
}

/** How long a "typing…" lasts without a fresh event (the sender may close the tab mid-word). */
const TYPING_TTL_MS = 6000;
/** a typing event at most this often while keys are pressed */
const TYPING_EVERY_MS = 2000;

/**
 * Chat between a student and their teachers over `/`: conversations, typing, read receipts and
 * who is online. Contacts come from the caller (teachers of held courses; students on a roster);
 * someone outside that list who writes in is added as they arrive.
 */
export const useChatStore = defineStore('chat', () => {
  const contacts = ref<Contact[]>([]);
  const conversations = reactive<Record<number, ChatMessage[]>>({});
  const typing = reactive<Record<number, boolean>>({});
  const online = reactive<Record<number, boolean>>({});
  const openWith = ref<number | null>(null);
  const error = ref<string | null>(null);
  const typingTimers = new Map<number, ReturnType<typeof setTimeout>>();
  let lastTypingSent = 0;
  let listening = false;

  const me = () => useAccountStore().user?.id ?? 0;
  const unreadFrom = (id: number) =>
    (conversations[id] ?? []).filter((m) => m.senderId === id && m.readAt === null).length;
  const totalUnread = computed(() => contacts.value.reduce((n, c) => n + unreadFrom(c.id), 0));

  function add(m: ChatMessage): void {
    const other = m.senderId === me() ? m.receiverId : m.senderId;
    const list = (conversations[other] ??= []);
    const i = list.findIndex((x) => x.id === m.id);
    if (i >= 0) list[i] = m;
    else {
      list.push(m);
      list.sort((a, b) => a.id - b.id);
    }
    if (!contacts.value.some((c) => c.id === other))
      contacts.value = [...contacts.value, { id: other, name: `User ${other}`, about: 'wrote to you' }];
  }

  function listen(): void {
    if (listening) return;
    listening = true;
    const live = useLiveStore();
    const s = live.socket('/');
    s.on('chat:message', (m: ChatMessage) => {
      if (typeof m?.id !== 'number') return;
      add(m);
      if (m.senderId !== me()) {
        setTyping(m.senderId, false);
        if (openWith.value === m.senderId) void markRead(m.senderId);
      }
    });
    s.on('chat:typing', (e: ChatTypingEvent) => setTyping(e.senderId, e.isTyping));
    s.on('chat:readReceipt', (e: ChatReadReceipt) => {
      for (const list of Object.values(conversations))
        for (const m of list) if (e.messageIds.includes(m.id)) m.readAt = e.readAt;
    });
    s.on('user:online', (e: PresenceEvent) => (online[e.userId] = true));
    s.on('user:offline', (e: PresenceEvent) => (online[e.userId] = false));
    live.whenConnected('/', () => void refreshPresence());
  }

  function setTyping(id: number, on: boolean): void {
    typing[id] = on;
    clearTimeout(typingTimers.get(id));
    if (on)
      typingTimers.set(
        id,
        setTimeout(() => (typing[id] = false), TYPING_TTL_MS),
      );
  }

  async function refreshPresence(): Promise<void> {
    const ids = contacts.value.map((c) => c.id);
    if (ids.length === 0) return;
    try {
      const res = await ask<{ statuses: Record<string, boolean> }>('/', 'chat:getOnlineStatus', {
        userIds: ids.slice(0, 500),
      });
      for (const [id, on] of Object.entries(res.statuses)) online[Number(id)] = on;
    } catch (err) {
      error.value = (err as Error).message;
    }
  }

  function setContacts(list: Contact[]): void {
    const known = new Map(list.map((c) => [c.id, c]));
    for (const c of contacts.value) if (!known.has(c.id)) known.set(c.id, c);
    contacts.value = [...known.values()];
    listen();
    void refreshPresence();
  }

  async function open(id: number): Promise<void> {
    listen();
    openWith.value = id;
    try {
      const res = await ask<{ messages: ChatMessage[] }>('/', 'chat:getMessages', { userId: id, limit: 100 });
      conversations[id] = [];
      for (const m of res.messages) add(m);
      error.value = null;
      await markRead(id);
    } catch (err) {
      error.value = (err as Error).message;
    }
  }

  async function markRead(id: number): Promise<void> {
    if (unreadFrom(id) === 0) return;
    try {
      const res = await ask<{ messageIds: number[] }>('/', 'chat:markRead', { senderId: id });
      const at = new Date().toISOString();
      for (const m of conversations[id] ?? []) if (res.messageIds.includes(m.id)) m.readAt ??= at;
    } catch (err) {
      error.value = (err as Error).message;
    }
  }

  async function send(id: number, text: string): Promise<boolean> {
    const message = text.trim();
    if (!message) return false;
    try {
      const res = await ask<{ message: ChatMessage }>('/', 'chat:send', { receiverId: id, message });
      add(res.message);
      lastTypingSent = 0;
      error.value = null;
      return true;
    } catch (err) {
      error.value = (err as Error).message;
      return false;
    }
  }

  /** Tell the other side we are typing, at most every couple of seconds; `false` when we stop. */
  function typed(id: number, isTyping: boolean): void {
    const now = Date.now();
    if (isTyping && now - lastTypingSent < TYPING_EVERY_MS) return;
    lastTypingSent = isTyping ? now : 0;
    useLiveStore().socket('/').emit('chat:typing', { receiverId: id, isTyping });
  }

  function reset(): void {
    contacts.value = [];
    openWith.value = null;
    for (const k of Object.keys(conversations)) delete conversations[Number(k)];
    for (const t of typingTimers.values()) clearTimeout(t);
    typingTimers.clear();
    listening = false;
  }

  return {
    contacts,
    conversations,
    typing,
    online,
    openWith,
    error,
    totalUnread,
    unreadFrom,
    setContacts,
    open,
    send,
    typed,
    markRead,
    reset,
  };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useChatStore, import.meta.hot));
