/**
 * The six processes, their ports and the environment variables that move them.
 * Shared by services, supervisor, CLI and renderer, so it imports nothing from Node.
 */
export const SERVICE_NAMES = [
  'data_node',
  'auth_node',
  'teacher_node',
  'student_node',
  'queue_node',
  'realtime',
] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export const COURSE_SERVICES = SERVICE_NAMES.filter((n) => n !== 'realtime');

/** Data first (everyone needs it), then realtime (others publish to it), then the rest. */
export const START_ORDER: readonly ServiceName[] = [
  'data_node',
  'realtime',
  'auth_node',
  'teacher_node',
  'student_node',
  'queue_node',
];

export const DEFAULT_PORTS: Readonly<Record<ServiceName, number>> = {
  data_node: 8001,
  auth_node: 8002,
  teacher_node: 8003,
  student_node: 8004,
  queue_node: 8005,
  realtime: 7000,
};

/** The realtime port keeps its older name, SOCKETIO_PORT; the course services follow <NAME>_PORT. */
export const PORT_ENV: Readonly<Record<ServiceName, string>> = {
  data_node: 'DATA_NODE_PORT',
  auth_node: 'AUTH_NODE_PORT',
  teacher_node: 'TEACHER_NODE_PORT',
  student_node: 'STUDENT_NODE_PORT',
  queue_node: 'QUEUE_NODE_PORT',
  realtime: 'SOCKETIO_PORT',
};

/** Multi-host deployments point a service at a URL instead of a local socket (README: Environment). */
export const URL_ENV: Readonly<Record<ServiceName, string>> = {
  data_node: 'DATA_NODE_URL',
  auth_node: 'AUTH_NODE_URL',
  teacher_node: 'TEACHER_NODE_URL',
  student_node: 'STUDENT_NODE_URL',
  queue_node: 'QUEUE_NODE_URL',
  realtime: 'REALTIME_URL',
};

export const SERVICE_LABELS: Readonly<Record<ServiceName, string>> = {
  data_node: 'Data Node',
  auth_node: 'Auth Node',
  teacher_node: 'Teacher Node',
  student_node: 'Student Node',
  queue_node: 'Queue Node',
  realtime: 'Realtime',
};

export const GATEWAY_DEFAULT_PORT = 8000;
export const INTERNAL_TOKEN_HEADER = 'x-internal-token';

export function isServiceName(value: unknown): value is ServiceName {
  return typeof value === 'string' && (SERVICE_NAMES as readonly string[]).includes(value);
}
