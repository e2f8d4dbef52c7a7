import { acceptHMRUpdate, defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { TimeTicket, TimeTicketsResponse } from '@contracts/registrar';
import { TeacherRoutes as T } from '@contracts/routes/teacher';
import { api } from '../api/instance';
import { errorMessage } from '../api/api-error';
import {
  planTickets,
  PLANNER_DEFAULTS,
  type PlannerGroup,
  type PlannerInput,
  type TicketPlan,
} from '../lib/ticket-planner';

/** One row of the editor: `datetime-local` values in local time, '' = none. */
export interface TicketDraft {
  group: string;
  opensAt: string;
  closesAt: string;
}

/**
 * Time tickets (a selection window per student group) as an editable draft: load, edit rows,
 * fill them from the planner, save all at once (PUT replaces every ticket). `dirty` says when
 * the draft differs from what the server holds, so the view never passes a draft off as saved.
 */
export const useTimeTicketsStore = defineStore('time-tickets', () => {
  const saved = ref<TimeTicketsResponse['tickets']>([]);
  const groups = ref<TimeTicketsResponse['groups']>([]);
  const draft = ref<TicketDraft[]>([]);
  const error = ref<string | null>(null);
  const loading = ref(false);
  const saving = ref(false);

  const dirty = computed(() => JSON.stringify(toRequest(draft.value)) !== JSON.stringify(normalise(saved.value)));

  function accept(res: TimeTicketsResponse): void {
    saved.value = res.tickets;
    groups.value = res.groups;
    draft.value = res.tickets.map((t) => ({
      group: t.group,
      opensAt: toLocalInput(t.opensAt),
      closesAt: t.closesAt ? toLocalInput(t.closesAt) : '',
    }));
  }

  async function load(): Promise<void> {
    loading.value = true;
    try {
      accept(await api().get<TimeTicketsResponse>('teacher_node', T.timeTickets.url));
      error.value = null;
    } catch (err) {
      error.value = errorMessage(err);
    } finally {
      loading.value = false;
    }
  }

  /** Problems that keep the draft from being saved, one per line, by row. */
  const problems = computed(() => {
    const out: string[] = [];
    const seen = new Set<string>();
    draft.value.forEach((d, i) => {
      const row = `Row ${i + 1}`;
      if (!d.group.trim()) out.push(`${row}: name the group.`);
      else if (seen.has(d.group.trim())) out.push(`${row}: ${d.group} has two tickets.`);
      seen.add(d.group.trim());
      if (!d.opensAt) out.push(`${row}: set when it opens.`);
      if (d.opensAt && d.closesAt && Date.parse(d.closesAt) <= Date.parse(d.opensAt))
        out.push(`${row}: it must close after it opens.`);
    });
    return out;
  });

  async function save(): Promise<void> {
    if (problems.value.length) throw new Error(problems.value[0]);
    saving.value = true;
    try {
      accept(
        await api().put<TimeTicketsResponse>('teacher_node', T.setTimeTickets.url, { tickets: toRequest(draft.value) }),
      );
    } finally {
      saving.value = false;
    }
  }

  function addRow(group = ''): void {
    draft.value = [...draft.value, { group, opensAt: '', closesAt: '' }];
  }
  function removeRow(i: number): void {
    draft.value = draft.value.filter((_, j) => j !== i);
  }

  /** Replace the draft with the planner's staggered openings (closing times kept per group). */
  function applyPlan(plan: TicketPlan): void {
    const closes = new Map(draft.value.map((d) => [d.group, d.closesAt]));
    draft.value = plan.tickets.map((t) => ({
      group: t.group,
      opensAt: toLocalInput(new Date(t.opensAt).toISOString()),
      closesAt: closes.get(t.group) ?? '',
    }));
  }

  /** The planner's input from the known group sizes, in the draft's order, then the rest. */
  function plannerGroups(): PlannerGroup[] {
    const sizes = new Map(groups.value.map((g) => [g.group, g.students]));
    const order = [...draft.value.map((d) => d.group), ...groups.value.map((g) => g.group)];
    return [...new Set(order)].filter((g) => g).map((g) => ({ group: g, size: sizes.get(g) ?? 0 }));
  }

  return {
    saved,
    groups,
    draft,
    error,
    loading,
    saving,
    dirty,
    problems,
    load,
    save,
    addRow,
    removeRow,
    applyPlan,
    plannerGroups,
    /** the planner over the known groups; what `input` leaves out takes PLANNER_DEFAULTS */
    plan: (input: Pick<PlannerInput, 'decidedPerSecond' | 'firstOpensAt'> & Partial<Omit<PlannerInput, 'groups'>>) =>
      planTickets({ ...PLANNER_DEFAULTS, ...input, groups: plannerGroups() }),
  };
});

function toRequest(draft: readonly TicketDraft[]): TimeTicket[] {
  return draft.map((d) => ({
    group: d.group.trim(),
    opensAt: new Date(d.opensAt).toISOString(),
    closesAt: d.closesAt ? new Date(d.closesAt).toISOString() : null,
  }));
}

function normalise(tickets: TimeTicketsResponse['tickets']): TimeTicket[] {
  return tickets.map((t) => ({
    group: t.group,
    opensAt: new Date(toLocalInput(t.opensAt)).toISOString(),
    closesAt: t.closesAt ? new Date(toLocalInput(t.closesAt)).toISOString() : null,
  }));
}

/** ISO → the `datetime-local` value for the same instant in local time (minutes). */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useTimeTicketsStore, import.meta.hot));
