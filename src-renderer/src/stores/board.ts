import { acceptHMRUpdate, defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { Socket } from 'socket.io-client';
import type { QueueBoardSample, RegistrationBoard } from '@contracts/registrar';
import { TeacherRoutes } from '@contracts/routes/teacher';
import { api } from '../api/instance';
import { errorMessage } from '../api/api-error';
import { useRealtimeStore } from './realtime';

/** The board is pushed at least every 5 s; older than this without a push, it is not live. */
export const BOARD_STALE_MS = 15_000;
/** The chart's span. */
export const BOARD_WINDOW_MS = 15 * 60_000;

export type BoardFreshness = 'live' | 'stale' | 'none';

/**
 * The registration board: decided/s, p50/p99, backlog and per-course fill and refusals, loaded
 * once and then pushed on /admin (`board:update`). The view shows it live only while the /admin
 * link is up AND a push came within BOARD_STALE_MS; otherwise it is grey with its age.
 */
export const useBoardStore = defineStore('board', () => {
  const board = shallowRef<RegistrationBoard | null>(null);
  /** when the board shown was received (ms since epoch) */
  const receivedAt = ref(0);
  const error = ref<string | null>(null);
  const loading = ref(false);
  let listeningOn: Socket | null = null;

  function freshness(now: number, linkLive: boolean): BoardFreshness {
    if (!board.value) return 'none';
    return linkLive && now - receivedAt.value <= BOARD_STALE_MS ? 'live' : 'stale';
  }

  /**
   * The chart's samples: the server's history, trimmed to the 15 minutes before the board's own
   * time (the server's clock, so a console whose clock is off still draws it right).
   */
  function chartSamples(): QueueBoardSample[] {
    const from = boardTime() - BOARD_WINDOW_MS;
    return (board.value?.history ?? []).filter((s) => Date.parse(s.at) >= from);
  }

  /** the server's time of the board shown (ms); 0 without one */
  function boardTime(): number {
    return board.value ? Date.parse(board.value.at) : 0;
  }

  function onBoard(b: unknown, at = Date.now()): void {
    if (!isBoard(b)) return;
    board.value = b;
    receivedAt.value = at;
  }

  async function load(): Promise<void> {
    loading.value = true;
    try {
      onBoard(await api().get<RegistrationBoard>('teacher_node', TeacherRoutes.registrationBoard.url));
      error.value = null;
    } catch (err) {
      error.value = errorMessage(err);
    } finally {
      loading.value = false;
    }
  }

  /** Subscribe once per /admin socket; after a reconnect, load again for what was missed. */
  function listen(): void {
    const realtime = useRealtimeStore();
    const s = realtime.socket('/admin');
    if (s === listeningOn) return;
    listeningOn = s;
    s.on('board:update', (b: unknown) => onBoard(b));
    s.on('connect', () => void load());
  }

  const topRefused = computed(() =>
    [...(board.value?.courses ?? [])]
      .map((c) => ({ ...c, refused: Object.values(c.refusals).reduce((n, v) => n + v, 0) }))
      .sort((a, b) => b.refused - a.refused || a.code.localeCompare(b.code)),
  );

  return { board, receivedAt, error, loading, freshness, chartSamples, boardTime, onBoard, load, listen, topRefused };
});

/** A pushed payload is checked before it replaces what is shown (types are not validation). */
function isBoard(b: unknown): b is RegistrationBoard {
  const x = b as Partial<RegistrationBoard> | null;
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof x.decidedPerSec === 'number' &&
    typeof x.backlog === 'number' &&
    Array.isArray(x.history) &&
    Array.isArray(x.courses)
  );
}

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useBoardStore, import.meta.hot));
