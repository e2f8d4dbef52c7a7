/**
 * Variables that would change how a child runtime behaves (debuggers, preloads, Electron's
 * run-as-node switch), so they never leak from the parent into a service.
 */
const DANGEROUS = [
  /^NODE_OPTIONS$/,
  /^NODE_INSPECT/,
  /^NODE_DEBUG/,
  /^NODE_REPL_EXTERNAL_MODULE$/,
  /^ELECTRON_RUN_AS_NODE$/,
  /^ELECTRON_ENABLE_LOGGING$/,
  /^LD_PRELOAD$/,
  /^DYLD_INSERT_LIBRARIES$/,
  /^VSCODE_/,
];

/** The child's whole environment, built explicitly: the parent's minus the dangerous ones, plus ours. */
export function buildChildEnv(
  parent: NodeJS.ProcessEnv,
  ours: Readonly<Record<string, string>>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(parent)) {
    if (v === undefined || DANGEROUS.some((re) => re.test(k))) continue;
    env[k] = v;
  }
  return { ...env, ...ours };
}
